import { afterEach, describe, it } from "vitest";
import {
  createSimulatedHarness,
  type TransportHarness,
  transportComplianceCases,
} from "../src/testing/index.js";

// The transport contract, checked on the simulated network with a fresh simulator per case.
describe("transport compliance: simulated network", () => {
  let harness: TransportHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });
  for (const c of transportComplianceCases) {
    it(c.name, async () => {
      harness = createSimulatedHarness({ seed: 1 });
      await c.run(harness);
    });
  }
});
