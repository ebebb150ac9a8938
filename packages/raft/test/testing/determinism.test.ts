import { createHash } from "node:crypto";
import { MemoryTracer } from "@lab/labrpc";
import { describe, expect, it } from "vitest";
import { findScenario, runScenario } from "../../src/testing/index.js";

async function traceHash(name: string, seed: number): Promise<{ hash: string; events: number }> {
  const scenario = findScenario(name);
  if (scenario === undefined) throw new Error(`no scenario ${name}`);
  const tracer = new MemoryTracer();
  const result = await runScenario(scenario, { seed, tracer });
  expect(result.failure?.message).toBeUndefined();
  const hash = createHash("sha256").update(tracer.toJsonLines()).digest("hex");
  return { hash, events: tracer.lines.length };
}

describe("a seed replays a Raft run byte for byte", () => {
  // Busy runs: crashes, restarts, a lossy and reordering network, snapshots.
  for (const name of [
    "3C/figure-8-unreliable",
    "3C/unreliable-churn",
    "3D/install-unreliable-crash",
  ]) {
    it(`${name}: same seed, same trace hash; another seed, another trace`, async () => {
      const first = await traceHash(name, 42);
      const second = await traceHash(name, 42);
      expect(first.events).toBeGreaterThan(2_000);
      expect(second).toEqual(first);
      expect((await traceHash(name, 43)).hash).not.toBe(first.hash);
    });
  }
});
