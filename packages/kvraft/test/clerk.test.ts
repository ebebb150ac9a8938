import { MemoryTracer, Network, Simulator } from "@lab/labrpc";
import { describe, expect, it } from "vitest";
import {
  addKvsrvService,
  Clerk,
  ClerkBusyError,
  ClerkClosedError,
  KvServer,
  KvUsageError,
  makeClerk,
} from "../src/kvsrv/index.js";

function setUp(seed: number, reliable = true) {
  const tracer = new MemoryTracer();
  const sim = new Simulator({ seed });
  const net = new Network(sim, { reliable });
  const server = new KvServer({ tracer, clock: sim });
  net.addServer("kv", addKvsrvService(server));
  let n = 0;
  const random = sim.random.fork("ids");
  const clerk = (options: { retryDelayMs?: number } = {}) => {
    const name = `c${n++}`;
    const end = net.makeEnd(name);
    net.connect(name, "kv");
    net.enable(name, true);
    return { name, clerk: new Clerk(end, { clock: sim, random, ...options }) };
  };
  return { sim, net, server, clerk, tracer };
}

describe("Clerk", () => {
  it("gets, puts and appends through the simulated network", async () => {
    const { sim, clerk } = setUp(1);
    const { clerk: ck } = clerk();
    await sim.settle(ck.put("k", "a"));
    expect(await sim.settle(ck.append("k", "b"))).toBe("a");
    expect(await sim.settle(ck.get("k"))).toBe("ab");
    expect(await sim.settle(ck.get("other"))).toBe("");
    expect(ck.stats).toEqual({ calls: 4, retries: 0 });
  });

  it("retries through a lossy network and executes each append exactly once", async () => {
    const { sim, server, clerk, tracer } = setUp(7, false);
    const { clerk: ck } = clerk();
    let expected = "";
    for (let i = 0; i < 200; i++) {
      const old = await sim.settle(ck.append("k", `${i};`));
      expect(old).toBe(expected);
      expected += `${i};`;
    }
    expect(await sim.settle(ck.get("k"))).toBe(expected);
    // With 10% of requests and 10% of replies lost, 200 appends need retries, and retried
    // appends whose first try was executed were answered from the duplicate table.
    expect(ck.stats.retries).toBeGreaterThan(10);
    const appends = tracer.lines.map((l) => JSON.parse(l)).filter((e) => e.kind === "kvsrv.append");
    expect(appends.filter((e) => !e.duplicate)).toHaveLength(200);
    expect(appends.filter((e) => e.duplicate).length).toBeGreaterThan(5);
    expect(server.stats()).toMatchObject({ writers: 1, heldReplies: 0 });
  });

  it("waits retryDelayMs between tries", async () => {
    const { sim, net, clerk } = setUp(3);
    const { name, clerk: ck } = clerk({ retryDelayMs: 50 });
    net.enable(name, false);
    const done = ck.put("k", "v");
    sim.setTimer(1000, () => net.enable(name, true));
    await sim.settle(done);
    expect(sim.now()).toBeGreaterThanOrEqual(1000);
    // Each try against the disabled end fails within 0-100 ms, then the clerk waits 50 ms.
    expect(ck.stats.retries).toBeGreaterThanOrEqual(1000 / 150 - 1);
    expect(ck.stats.retries).toBeLessThanOrEqual(1000 / 50 + 1);
  });

  it("runs one operation at a time", async () => {
    const { sim, clerk } = setUp(1);
    const { clerk: ck } = clerk();
    const first = ck.put("k", "v");
    await expect(ck.get("k")).rejects.toBeInstanceOf(ClerkBusyError);
    await expect(ck.append("k", "w")).rejects.toMatchObject({
      code: "LAB_KV_CLERK_BUSY",
      operation: "append",
      pending: "put",
    });
    await sim.settle(first);
    expect(await sim.settle(ck.get("k"))).toBe("v");
  });

  it("gives up with ClerkClosedError when its end is deleted", async () => {
    const { sim, net, clerk } = setUp(1);
    const { name, clerk: ck } = clerk();
    net.enable(name, false);
    const pending = ck.put("k", "v");
    sim.setTimer(30, () => net.deleteEnd(name));
    await expect(sim.settle(pending)).rejects.toBeInstanceOf(ClerkClosedError);
    await expect(sim.settle(ck.get("k"))).rejects.toMatchObject({ code: "LAB_KV_CLERK_CLOSED" });
  });

  it("validates its options and arguments", async () => {
    const { sim, net } = setUp(1);
    const end = net.makeEnd("x");
    expect(() => new Clerk(end, { clock: sim })).toThrow(KvUsageError);
    expect(() => new Clerk(end, { clock: sim, clientId: -1 })).toThrow(/clientId/);
    expect(() => new Clerk(end, { clock: sim, clientId: 1.5 })).toThrow(/clientId/);
    expect(() => new Clerk(end, { clock: sim, clientId: 1, retryDelayMs: -1 })).toThrow(
      /retryDelayMs/,
    );
    expect(() => new Clerk(end, { clock: sim, clientId: 1, callTimeoutMs: 0 })).toThrow(
      /callTimeoutMs/,
    );
    const ck = makeClerk(end, { clock: sim, clientId: 42 });
    expect(ck.clientId).toBe(42);
    await expect(ck.put("k", "\uD800")).rejects.toThrow(/lone UTF-16 surrogate/);
    await expect(ck.get(5 as unknown as string)).rejects.toThrow(
      /key must be a string, got number/,
    );
    // A rejected argument does not leave the clerk busy.
    await expect(ck.append("k", null as unknown as string)).rejects.toBeInstanceOf(KvUsageError);
  });

  it("draws 53-bit ids from its random source", () => {
    const { sim, net } = setUp(1);
    const random = sim.random.fork("ids");
    const ids = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const id = new Clerk(net.makeEnd(`e${i}`), { clock: sim, random }).clientId;
      expect(Number.isSafeInteger(id) && id >= 0).toBe(true);
      ids.add(id);
    }
    expect(ids.size).toBe(1000);
    expect(Math.max(...ids)).toBeGreaterThan(2 ** 40);
  });
});
