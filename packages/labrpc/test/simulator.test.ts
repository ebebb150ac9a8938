import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  MemoryTracer,
  RpcUsageError,
  SimulationDeadlockError,
  SimulationTimeoutError,
  Simulator,
} from "../src/index.js";

describe("Simulator", () => {
  it("runs events in time order, ties in scheduling order, and jumps the clock", async () => {
    const sim = new Simulator({ seed: 1 });
    const order: string[] = [];
    sim.setTimer(30, () => order.push(`c@${sim.now()}`));
    sim.setTimer(10, () => order.push(`a@${sim.now()}`));
    sim.setTimer(10, () => order.push(`b@${sim.now()}`));
    sim.setTimer(0, () => order.push(`z@${sim.now()}`));
    await sim.runFor(1_000_000);
    expect(order).toEqual(["z@0", "a@10", "b@10", "c@30"]);
    expect(sim.now()).toBe(1_000_000);
  });

  it("drains promise continuations between two events due at the same time", async () => {
    const sim = new Simulator({ seed: 1 });
    const order: string[] = [];
    const gate = sim.sleep(5);
    const chain = (async () => {
      await gate;
      await Promise.resolve();
      await Promise.resolve();
      order.push("continuation");
    })();
    sim.setTimer(5, () => order.push("second timer"));
    await sim.runFor(10);
    await chain;
    expect(order).toEqual(["continuation", "second timer"]);
  });

  it("cancelled timers never run", async () => {
    const sim = new Simulator({ seed: 1 });
    let ran = false;
    const t = sim.setTimer(5, () => {
      ran = true;
    });
    t.cancel();
    await sim.runUntilIdle();
    expect(ran).toBe(false);
    expect(sim.eventsRun).toBe(0);
  });

  it("settle returns the value once the promise resolves, in virtual time", async () => {
    const sim = new Simulator({ seed: 1 });
    const p = (async () => {
      await sim.sleep(60_000);
      return "done";
    })();
    await expect(sim.settle(p)).resolves.toBe("done");
    expect(sim.now()).toBe(60_000);
  });

  it("settle rethrows the promise's error", async () => {
    const sim = new Simulator({ seed: 1 });
    const p = (async () => {
      await sim.sleep(1);
      throw new Error("boom");
    })();
    await expect(sim.settle(p)).rejects.toThrow("boom");
  });

  it("settle reports a deadlock when nothing is left to run", async () => {
    const sim = new Simulator({ seed: 3 });
    const never = new Promise<void>(() => {});
    const err = await sim.settle(never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SimulationDeadlockError);
    expect(String(err)).toContain("seed 3");
  });

  it("settle honours a virtual-time budget", async () => {
    const sim = new Simulator({ seed: 1 });
    const slow = sim.sleep(10_000);
    await expect(sim.settle(slow, { timeoutMs: 100 })).rejects.toBeInstanceOf(
      SimulationTimeoutError,
    );
    expect(sim.now()).toBe(100);
  });

  it("runUntil stops as soon as the condition holds", async () => {
    const sim = new Simulator({ seed: 1 });
    let ticks = 0;
    const tick = () => {
      ticks++;
      sim.setTimer(10, tick);
    };
    sim.setTimer(10, tick);
    expect(await sim.runUntil(() => ticks === 5)).toBe(true);
    expect(sim.now()).toBe(50);
    expect(await sim.runUntil(() => false, { timeoutMs: 25 })).toBe(false);
    expect(sim.now()).toBe(75);
  });

  it("refuses to run twice at once", async () => {
    const sim = new Simulator({ seed: 1 });
    sim.setTimer(1, () => {});
    const first = sim.runFor(10);
    await expect(sim.runFor(10)).rejects.toBeInstanceOf(RpcUsageError);
    await first;
  });

  it("stops a livelock at the event limit", async () => {
    const sim = new Simulator({ seed: 1, maxEvents: 100 });
    const spin = () => sim.setTimer(0, spin);
    spin();
    await expect(sim.runFor(1)).rejects.toBeInstanceOf(SimulationTimeoutError);
  });

  it("rejects negative and non-finite delays", () => {
    const sim = new Simulator({ seed: 1 });
    expect(() => sim.setTimer(-1, () => {})).toThrow(RpcUsageError);
    expect(() => sim.setTimer(Number.NaN, () => {})).toThrow(RpcUsageError);
  });

  it("same seed, same busy trace byte for byte; another seed, another schedule", async () => {
    // A busy scenario: 50 actors that sleep random times and spawn work on each other.
    async function traceHash(seed: number): Promise<string> {
      const tracer = new MemoryTracer();
      const sim = new Simulator({ seed, tracer });
      const random = sim.random.fork("actors");
      const inbox: number[][] = Array.from({ length: 50 }, () => []);
      const actor = async (id: number) => {
        for (let step = 0; step < 40; step++) {
          await sim.sleep(random.int(100));
          const to = random.int(50);
          inbox[to]?.push(id);
          sim.trace("send", { node: `a${id}`, to, pending: inbox[id]?.length ?? 0 });
          inbox[id]?.splice(0, random.int(3));
        }
      };
      await sim.settle(Promise.all(Array.from({ length: 50 }, (_, i) => actor(i))));
      expect(tracer.lines.length).toBe(50 * 40);
      return createHash("sha256").update(tracer.toJsonLines()).digest("hex");
    }
    const a = await traceHash(1234);
    const b = await traceHash(1234);
    const c = await traceHash(1235);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });
});
