import { expect, it } from "vitest";
import type { RaftScenario } from "../../src/testing/index.js";
import { runScenario } from "../../src/testing/index.js";

/**
 * Seeds every course scenario runs on. `SEEDS=N` runs seeds 1..N; `SEEDS=a,b,c` runs exactly
 * those (to replay a failure). The default is the fixed set CI runs.
 */
export function courseSeeds(defaultCount: number): number[] {
  const raw = process.env.SEEDS?.trim();
  if (!raw) return Array.from({ length: defaultCount }, (_, i) => i + 1);
  if (/^\d+$/.test(raw)) return Array.from({ length: Number(raw) }, (_, i) => i + 1);
  return raw.split(",").map((s) => {
    const seed = Number(s.trim());
    if (!Number.isSafeInteger(seed)) throw new Error(`SEEDS: not an integer seed: "${s}"`);
    return seed;
  });
}

/** Declares one test per scenario and seed; a failure message names the seed that replays it. */
export function defineCourseTests(scenarios: readonly RaftScenario[], defaultSeeds: number): void {
  const seeds = courseSeeds(defaultSeeds);
  for (const scenario of scenarios) {
    it.each(seeds)(`${scenario.name}: ${scenario.title} (seed %i)`, async (seed) => {
      const result = await runScenario(scenario, { seed });
      expect(
        result.failure?.message,
        `replay: pnpm --filter @lab/raft stress --scenario ${scenario.name} --seed ${seed}`,
      ).toBeUndefined();
      expect(result.ok).toBe(true);
    });
  }
}
