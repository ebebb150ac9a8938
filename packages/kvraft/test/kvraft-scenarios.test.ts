import { describe, expect, it } from "vitest";
import { KVRAFT_READ_MODES, kvraftScenarios, runKvraftScenario } from "../src/testing/index.js";
import { courseSeeds } from "./course-seeds.js";

// The course's kvraft suite (lab 4A and 4B), in virtual time, with each way of serving Gets
// (ReadIndex, the default; ReadIndex within the lease; the log). `SEEDS=N` runs more seeds;
// `pnpm stress:kvraft` runs the whole suite (default reads) over many seeds in parallel.
describe.each(KVRAFT_READ_MODES)("course kvraft suite, reads: %s", (reads) => {
  const seeds = courseSeeds(1);
  for (const scenario of kvraftScenarios) {
    it.each(seeds)(
      `${scenario.name}: ${scenario.title} (seed %i)`,
      { timeout: 120_000 },
      async (seed) => {
        const result = await runKvraftScenario(scenario, { seed, reads });
        const replay =
          reads === "read-index"
            ? `pnpm --filter @lab/kvraft stress:kvraft --scenario ${scenario.name} --seed ${seed}`
            : `runKvraftScenario(${scenario.name}, { seed: ${seed}, reads: "${reads}" })`;
        expect(result.failure?.message, `replay: ${replay}`).toBeUndefined();
        expect(result.operations).toBeGreaterThan(0);
        expect(result.notes).toEqual([]);
      },
    );
  }
});
