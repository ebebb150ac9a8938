import { afterAll, describe, it } from "vitest";
import { createLocalHarness, transportComplianceCases } from "../src/testing/index.js";

// The transport contract, checked on the in-process transport in both delivery modes.
for (const delivery of ["macrotask", "microtask"] as const) {
  describe(`transport compliance: local (${delivery})`, () => {
    const harness = createLocalHarness({ delivery });
    afterAll(() => harness.close());
    for (const c of transportComplianceCases) {
      it(c.name, () => c.run(harness));
    }
  });
}
