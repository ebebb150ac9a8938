import { afterAll, describe, it } from "vitest";
import { createTcpHarness, transportComplianceCases } from "../src/testing/index.js";
import { selfSignedCertificate } from "./support/tls.js";

// The whole transport contract again, over TLS with the same framing.
describe("transport compliance: TCP over TLS", () => {
  const { key, cert } = selfSignedCertificate();
  // A generous connect timeout: on a loaded machine a TLS handshake is the slow part of a case.
  const harness = createTcpHarness({
    connectTimeoutMs: 30_000,
    tls: { server: { key, cert }, client: { ca: cert } },
  });
  afterAll(() => harness.close());
  for (const c of transportComplianceCases) {
    it(c.name, () => c.run(harness));
  }
});
