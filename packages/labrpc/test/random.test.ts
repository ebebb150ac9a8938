import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RpcUsageError, SeededRandom } from "../src/index.js";

function draw(random: SeededRandom, n: number): number[] {
  return Array.from({ length: n }, () => random.nextU32());
}

describe("SeededRandom", () => {
  it("replays the same sequence from the same seed", () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), (seed) => {
        expect(draw(new SeededRandom(seed), 20)).toEqual(draw(new SeededRandom(seed), 20));
      }),
    );
  });

  it("gives different sequences for different seeds, including seeds above 32 bits", () => {
    const seqs = [0, 1, 2, 2 ** 32, 2 ** 32 + 1, 2 ** 40 + 1, -1].map((s) =>
      draw(new SeededRandom(s), 8).join(","),
    );
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it("pins the sequence so recorded seeds replay on every platform and release", () => {
    // Known-answer values: if this test fails, every seed printed by an older failure report
    // replays a different schedule, so a change here needs a deliberate, announced decision.
    expect(draw(new SeededRandom(42), 4)).toEqual([1028872839, 2516511472, 400437680, 853279530]);
    expect(new SeededRandom(42).fork("network").nextU32()).toBe(2928501258);
    expect(new SeededRandom(2 ** 40 + 1).nextU32()).toBe(56573875);
  });

  it("int(n) stays in range and covers it uniformly", () => {
    const r = new SeededRandom(7);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const x = r.int(10);
      counts[x] = (counts[x] ?? 0) + 1;
    }
    expect(counts.length).toBe(10);
    // Each bucket expects 10 000; 5 standard deviations is about ±475.
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it("intBetween, float and chance respect their bounds", () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        (seed, min, span) => {
          const r = new SeededRandom(seed);
          const x = r.intBetween(min, min + span);
          expect(x).toBeGreaterThanOrEqual(min);
          expect(x).toBeLessThanOrEqual(min + span);
          const f = r.float();
          expect(f >= 0 && f < 1).toBe(true);
          expect(r.chance(0, 10)).toBe(false);
          expect(r.chance(10, 10)).toBe(true);
        },
      ),
    );
  });

  it("chance(1, 10) is true about one time in ten", () => {
    const r = new SeededRandom(99);
    let hits = 0;
    for (let i = 0; i < 100_000; i++) if (r.chance(1, 10)) hits++;
    expect(Math.abs(hits - 10_000)).toBeLessThan(500);
  });

  it("forks are independent of each other and of the parent's draws", () => {
    const a = new SeededRandom(5);
    const netBefore = draw(a.fork("network"), 5);
    draw(a, 100);
    const workload = draw(a.fork("workload"), 5);
    const netAfter = draw(a.fork("network"), 5);
    expect(netAfter).toEqual(netBefore);
    expect(workload).not.toEqual(netBefore);
    expect(draw(new SeededRandom(6).fork("network"), 5)).not.toEqual(netBefore);
  });

  it("rejects bad arguments with a typed error", () => {
    const r = new SeededRandom(1);
    expect(() => r.int(0)).toThrow(RpcUsageError);
    expect(() => r.int(1.5)).toThrow(RpcUsageError);
    expect(() => r.intBetween(3, 2)).toThrow(RpcUsageError);
    expect(() => new SeededRandom(Number.NaN)).toThrow(RpcUsageError);
  });
});
