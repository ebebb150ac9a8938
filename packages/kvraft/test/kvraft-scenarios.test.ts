import { describe, expect, it } from "vitest";
import { kvraftScenarios, runKvraftScenario } from "../src/testing/index.js";
import { courseSeeds } from "./course-seeds.js";

// The course's kvraft suite (lab 4A and 4B), in virtual time. `SEEDS=N` runs more seeds;
// `pnpm stress:kvraft` runs the whole suite over many seeds in parallel.
describe("course kvraft suite", () => {
  const seeds = courseSeeds(1);
  for (const scenario of kvraftScenarios) {
    it.each(seeds)(
      `${scenario.name}: ${scenario.title} (seed %i)`,
      { timeout: 120_000 },
      async (seed) => {
        const result = await runKvraftScenario(scenario, { seed });
        expect(
          result.failure?.message,
          `replay: pnpm --filter @lab/kvraft stress:kvraft --scenario ${scenario.name} --seed ${seed}`,
        ).toBeUndefined();
        expect(result.operations).toBeGreaterThan(0);
        expect(result.notes).toEqual([]);
      },
    );
  }
});
