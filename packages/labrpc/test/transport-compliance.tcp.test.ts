import { afterAll, describe, it } from "vitest";
import { createTcpHarness, transportComplianceCases } from "../src/testing/index.js";

// The transport contract, checked on real sockets on 127.0.0.1 (one harness; every case serves
// its own server on a free port).
describe("transport compliance: TCP", () => {
  const harness = createTcpHarness();
  afterAll(() => harness.close());
  for (const c of transportComplianceCases) {
    it(c.name, () => c.run(harness));
  }
});
