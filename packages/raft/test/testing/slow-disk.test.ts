import { Simulator } from "@lab/labrpc";
import { describe, expect, it } from "vitest";
import { MemoryStorage } from "../../src/storage/memory-storage.js";
import { DelayedSyncStorage, findScenario, runScenario } from "../../src/testing/index.js";

const entry = (index: number) => ({ index, term: 1, command: new Uint8Array([index]) });

describe("DelayedSyncStorage: a disk whose syncs take time", () => {
  it("makes updates durable in order, after their delay, and resolves each then", async () => {
    const sim = new Simulator({ seed: 7 });
    const durable = new MemoryStorage();
    const disk = new DelayedSyncStorage(durable, sim, sim.random.fork("disk"), 20);
    const resolved: number[] = [];
    for (const i of [1, 2, 3]) {
      void disk.persist({ entries: { from: i, entries: [entry(i)] } }).then(() => resolved.push(i));
    }
    // Nothing is durable before time passes: a crash now would find an empty log.
    expect(durable.initialState().entries).toEqual([]);
    expect(disk.initialState().entries).toEqual([]);
    await sim.runFor(25);
    expect(resolved).toEqual([1, 2, 3]);
    expect(durable.initialState().entries.map((e) => e.index)).toEqual([1, 2, 3]);
  });

  it("refuses a delay that is not a non-negative integer", () => {
    const sim = new Simulator({ seed: 1 });
    for (const bad of [-1, 1.5, Number.NaN]) {
      expect(() => new DelayedSyncStorage(new MemoryStorage(), sim, sim.random, bad)).toThrow(
        /maxDelayMs/,
      );
    }
  });
});

describe("the lab scenarios on a slow disk (persists in flight, lost by crashes)", () => {
  // Crashes with writes in flight, a lossy network, snapshots: what asynchronous writes risk.
  for (const name of [
    "3C/figure-8-unreliable",
    "3C/unreliable-churn",
    "3D/install-unreliable-crash",
  ]) {
    it(`${name} passes with syncs of up to 8 ms`, async () => {
      const scenario = findScenario(name);
      if (scenario === undefined) throw new Error(`no scenario ${name}`);
      for (const seed of [1, 2]) {
        const result = await runScenario(scenario, { seed, syncDelayMs: 8 });
        expect(result.failure?.message).toBeUndefined();
        expect(result.ok).toBe(true);
      }
    });
  }
});
