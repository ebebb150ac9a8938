import { describe, expect, it } from "vitest";
import { kvsrvScenarios, runKvsrvScenario } from "../src/testing/index.js";
import { courseSeeds } from "./course-seeds.js";

// The course's functional kvsrv tests, in virtual time. The memory tests run in their own
// processes (memory.test.ts); `pnpm stress:kvsrv` runs everything over many seeds.
describe("course kvsrv suite", () => {
  const seeds = courseSeeds(5);
  for (const scenario of kvsrvScenarios.filter((s) => !s.memory)) {
    it.each(seeds)(`${scenario.name}: ${scenario.title} (seed %i)`, async (seed) => {
      const result = await runKvsrvScenario(scenario, { seed });
      expect(
        result.failure?.message,
        `replay: pnpm --filter @lab/kvraft stress:kvsrv --scenario ${scenario.name} --seed ${seed}`,
      ).toBeUndefined();
      expect(result.operations).toBeGreaterThan(0);
      expect(result.notes).toEqual([]);
    });
  }
});
