import { describe, expect, it } from "vitest";
import { runScenario } from "../src/scenario.js";

const quiet = () => {};

describe("the simulated key/value demo", () => {
  it("an at-most-once server gives a linearizable history through every fault phase", async () => {
    for (const seed of [1, 2, 3]) {
      const report = await runScenario({
        seed,
        buggy: false,
        clerks: 4,
        opsPerClerk: 25,
        say: quiet,
      });
      expect(report.history).toHaveLength(100);
      expect(report.retries, `seed ${seed}`).toBeGreaterThan(0);
      expect(report.verdict.result, `seed ${seed}`).toBe("ok");
      expect(report.phases.map((p) => p.name)).toEqual([
        "reliable",
        "lossy",
        "partition",
        "reordering",
        "calm",
      ]);
    }
  });

  it("porcupine catches a server that applies retried appends twice", async () => {
    const report = await runScenario({
      seed: 1,
      buggy: true,
      clerks: 5,
      opsPerClerk: 40,
      say: quiet,
    });
    expect(report.verdict.result).toBe("illegal");
  });

  it("replays byte for byte from its seed", async () => {
    const run = (seed: number) =>
      runScenario({ seed, buggy: false, clerks: 3, opsPerClerk: 15, say: quiet });
    const [a, b, c] = [await run(9), await run(9), await run(10)];
    expect(b.traceSha256).toBe(a.traceSha256);
    expect(c.traceSha256).not.toBe(a.traceSha256);
  });
});
