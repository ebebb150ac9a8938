import { CodecError, codecs } from "@lab/labgob";
import { describe, expect, it } from "vitest";
import {
  BadRequestError,
  type CallResult,
  HandlerError,
  Network,
  RpcServer,
  RpcUsageError,
  Simulator,
  UnknownMethodError,
} from "../src/index.js";
import { Junk, JunkWithWrongTypes, Missing } from "./support/services.js";

/** A world with one JunkServer named "server" and a helper to make connected, enabled ends. */
function world(seed = 1) {
  const sim = new Simulator({ seed });
  const net = new Network(sim);
  const log: string[] = [];
  const rpc = new RpcServer().addService(Junk, {
    Handler1: (s) => {
      log.push(`h1 ${s}`);
      return Number.parseInt(s, 10);
    },
    Handler2: (n) => {
      log.push(`h2 ${n}`);
      return `handler2-${n}`;
    },
    Handler4: (s) => s,
    Length: (s) => s.length,
    Repeat: (n) => "y".repeat(n),
    Sleep: async (ms) => {
      await sim.sleep(ms);
      return ms;
    },
  });
  net.addServer("server", rpc);
  let ends = 0;
  const end = (enabled = true) => {
    const name = `end-${ends++}`;
    const e = net.makeEnd(name);
    net.connect(name, "server");
    net.enable(name, enabled);
    return { e, name };
  };
  return { sim, net, log, end, rpc };
}

function replies<T>(results: CallResult<T>[]): T[] {
  return results.flatMap((r) => (r.ok ? [r.reply] : []));
}

describe("simulated Network: the course's labrpc scenarios", () => {
  it("basic: int and string arguments and replies round-trip", async () => {
    const { sim, end, log } = world();
    const { e } = end();
    expect(await sim.settle(e.call(Junk.methods.Handler2, 111))).toEqual({
      ok: true,
      reply: "handler2-111",
    });
    expect(await sim.settle(e.call(Junk.methods.Handler1, "9099"))).toEqual({
      ok: true,
      reply: 9099,
    });
    expect(log).toEqual(["h2 111", "h1 9099"]);
  });

  it("types: a caller whose argument type differs from the handler's gets a typed error", async () => {
    const { sim, end, log } = world();
    const { e } = end();
    const err = await sim
      .settle(e.call(JunkWithWrongTypes.methods.Handler2, "not a number"))
      .catch((x: unknown) => x);
    expect(err).toBeInstanceOf(HandlerError);
    expect(err).toBeInstanceOf(BadRequestError);
    expect(String(err)).toContain("JunkServer.Handler2");
    expect(log).toEqual([]);
  });

  it("disconnect: a connected but disabled end gets no reply; after enable it works", async () => {
    const { sim, net, end, log } = world();
    const { e, name } = end(false);
    expect(await sim.settle(e.call(Junk.methods.Handler2, 111))).toEqual({
      ok: false,
      reason: "unreachable",
    });
    expect(log).toEqual([]);
    net.enable(name, true);
    expect(await sim.settle(e.call(Junk.methods.Handler1, "9099"))).toEqual({
      ok: true,
      reply: 9099,
    });
    expect(net.rpcCount("server")).toBe(1);
  });

  it("counts: 17 calls are 17 RPCs dispatched to the server", async () => {
    const { sim, net, end } = world();
    const { e } = end();
    for (let i = 0; i < 17; i++) {
      expect(await sim.settle(e.call(Junk.methods.Handler2, i))).toEqual({
        ok: true,
        reply: `handler2-${i}`,
      });
    }
    expect(net.rpcCount("server")).toBe(17);
    expect(net.totalCount).toBe(17);
  });

  it("bytes: requests count when sent, replies when delivered, within the course's bounds", async () => {
    const { sim, net, end } = world();
    const { e } = end();
    const arg = "x".repeat(288);
    for (let i = 0; i < 17; i++) {
      expect(await sim.settle(e.call(Junk.methods.Length, arg))).toEqual({ ok: true, reply: 288 });
    }
    // The course's TestBytes: 17 calls with 288-char arguments cost 4828 to 6000 bytes...
    expect(net.totalBytes).toBeGreaterThanOrEqual(4828);
    expect(net.totalBytes).toBeLessThanOrEqual(6000);

    const before = net.totalBytes;
    for (let i = 0; i < 17; i++) {
      expect(await sim.settle(e.call(Junk.methods.Repeat, 107))).toEqual({
        ok: true,
        reply: "y".repeat(107),
      });
    }
    // ...and 17 calls with 107-byte replies add 1800 to 2500 bytes.
    const delta = net.totalBytes - before;
    expect(delta).toBeGreaterThanOrEqual(1800);
    expect(delta).toBeLessThanOrEqual(2500);

    // A reply that is never delivered is not counted.
    net.setReliable(false);
    const lostBefore = net.totalBytes;
    let lostReplies = 0;
    for (let i = 0; i < 200; i++) {
      const r = await sim.settle(e.call(Junk.methods.Repeat, 100));
      if (!r.ok) lostReplies++;
    }
    expect(lostReplies).toBeGreaterThan(0);
    const requestSize = codecs.int.encode(100).length;
    const replySize = codecs.string.encode("y".repeat(100)).length;
    expect(net.totalBytes - lostBefore).toBe(200 * requestSize + (200 - lostReplies) * replySize);
  });

  it("concurrent many: 20 ends x 10 calls all complete, 200 dispatched", async () => {
    const { sim, net, end } = world();
    const clients = Array.from({ length: 20 }, () => end().e);
    const all = clients.flatMap((e, c) =>
      Array.from({ length: 10 }, (_, i) => e.call(Junk.methods.Handler2, c * 100 + i)),
    );
    const results = await sim.settle(Promise.all(all));
    expect(replies(results)).toHaveLength(200);
    expect(net.rpcCount("server")).toBe(200);
  });

  it("unreliable: 300 ends with one call each: neither all nor none succeed", async () => {
    const { sim, net, end } = world(11);
    net.setReliable(false);
    const results = await sim.settle(
      Promise.all(Array.from({ length: 300 }, (_, i) => end().e.call(Junk.methods.Handler2, i))),
    );
    const ok = replies(results).length;
    expect(ok).toBeGreaterThan(0);
    expect(ok).toBeLessThan(300);
    // 10% of requests and 10% of replies are lost: about 81% get through.
    expect(ok).toBeGreaterThan(200);
    expect(ok).toBeLessThan(280);
    const reasons = new Set(results.flatMap((r) => (r.ok ? [] : [r.reason])));
    expect([...reasons]).toEqual(["dropped"]);
  });

  it("concurrent one: 20 concurrent calls on one end are each delivered once", async () => {
    const { sim, net, end, log } = world();
    const { e } = end();
    const results = await sim.settle(
      Promise.all(Array.from({ length: 20 }, (_, i) => e.call(Junk.methods.Handler2, i))),
    );
    expect(replies(results)).toEqual(Array.from({ length: 20 }, (_, i) => `handler2-${i}`));
    expect(net.rpcCount("server")).toBe(20);
    expect(log.toSorted()).toEqual(Array.from({ length: 20 }, (_, i) => `h2 ${i}`).toSorted());
  });

  it("regression 1: calls stuck on a disabled end do not delay a later call after enable", async () => {
    const { sim, net, end } = world();
    net.setLongDelays(true);
    const { e, name } = end(false);
    const stuck = Array.from({ length: 20 }, (_, i) => e.call(Junk.methods.Handler2, i));
    await sim.runFor(1);
    net.enable(name, true);
    const t0 = sim.now();
    const fresh = e.call(Junk.methods.Handler2, 99);
    expect(await sim.settle(fresh)).toEqual({ ok: true, reply: "handler2-99" });
    expect(sim.now() - t0).toBeLessThanOrEqual(30);
    const old = await sim.settle(Promise.all(stuck));
    expect(old.every((r) => !r.ok)).toBe(true);
    expect(net.rpcCount("server")).toBe(1);
  });

  it("killed: a call to a server deleted mid-handler gets no reply within 100 ms", async () => {
    const { sim, net, end } = world();
    const { e } = end();
    let result: CallResult<number> | undefined;
    const call = e.call(Junk.methods.Sleep, 20_000).then((r) => {
      result = r;
      return r;
    });
    await sim.runFor(1000);
    expect(result).toBeUndefined();
    net.deleteServer("server");
    await sim.runFor(100);
    expect(result).toEqual({ ok: false, reason: "server-killed" });
    await sim.settle(call);
  });
});

describe("simulated Network: beyond the course's tests", () => {
  it("a replaced server's late reply is dropped, and the new server serves later calls", async () => {
    const { sim, net, end, rpc } = world();
    const { e } = end();
    const slow = e.call(Junk.methods.Sleep, 500);
    await sim.runFor(10);
    net.addServer("server", rpc);
    expect(await sim.settle(slow)).toEqual({ ok: false, reason: "server-killed" });
    expect(await sim.settle(e.call(Junk.methods.Sleep, 5))).toEqual({ ok: true, reply: 5 });
    expect(net.rpcCount("server")).toBe(1);
  });

  it("disabling an end mid-call fails that call", async () => {
    const { sim, net, end } = world();
    const { e, name } = end();
    const slow = e.call(Junk.methods.Sleep, 500);
    await sim.runFor(10);
    net.enable(name, false);
    expect(await sim.settle(slow)).toEqual({ ok: false, reason: "unreachable" });
  });

  it("a call to a missing server fails after up to 100 ms, or up to 7 s with long delays", async () => {
    async function failTimes(longDelays: boolean): Promise<number[]> {
      const sim = new Simulator({ seed: 5 });
      const net = new Network(sim, { longDelays });
      const e = net.makeEnd("e");
      net.connect("e", "nobody");
      net.enable("e", true);
      const times: number[] = [];
      for (let i = 0; i < 200; i++) {
        const t0 = sim.now();
        expect(await sim.settle(e.call(Junk.methods.Handler2, i))).toEqual({
          ok: false,
          reason: "unreachable",
        });
        times.push(sim.now() - t0);
      }
      return times;
    }
    const short = await failTimes(false);
    expect(Math.max(...short)).toBeLessThanOrEqual(100);
    const long = await failTimes(true);
    expect(Math.max(...long)).toBeLessThanOrEqual(7000);
    expect(Math.max(...long)).toBeGreaterThan(3000);
  });

  it("long reordering delivers replies out of the order they were sent", async () => {
    const { sim, net, end } = world(9);
    net.setLongReordering(true);
    const { e } = end();
    const order: number[] = [];
    const calls = Array.from({ length: 50 }, (_, i) =>
      e.call(Junk.methods.Handler2, i).then((r) => {
        if (r.ok) order.push(i);
        return r;
      }),
    );
    const t0 = sim.now();
    await sim.settle(Promise.all(calls));
    expect(order).toHaveLength(50);
    expect(order).not.toEqual(order.toSorted((a, b) => a - b));
    expect(sim.now() - t0).toBeGreaterThanOrEqual(200);
    expect(sim.now() - t0).toBeLessThanOrEqual(2200);
  });

  it("timeoutMs gives up on a slow handler, and its late reply is ignored", async () => {
    const { sim, end } = world();
    const { e } = end();
    const r = await sim.settle(e.call(Junk.methods.Sleep, 1000, { timeoutMs: 50 }));
    expect(r).toEqual({ ok: false, reason: "timeout" });
    expect(sim.now()).toBe(50);
    await sim.runFor(2000);
  });

  it("an unknown service rejects with a typed error naming the known methods", async () => {
    const { sim, end } = world();
    const err = await sim.settle(end().e.call(Missing.methods.Nothing, 1)).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(UnknownMethodError);
    expect(String(err)).toContain("Missing.Nothing");
    expect(String(err)).toContain("JunkServer.Handler1");
  });

  it("an argument the codec cannot encode rejects before anything is sent", async () => {
    const { sim, net, end } = world();
    const call = end().e.call(Junk.methods.Handler2, 1.5);
    const err = await sim.settle(call).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(CodecError);
    expect(String(err)).toContain("1.5");
    expect(net.totalCount).toBe(0);
    expect(net.rpcCount("server")).toBe(0);
  });

  it("cleanup resolves pending and later calls as closed; deleteEnd closes its calls", async () => {
    const { sim, net, end } = world();
    const a = end();
    const b = end();
    const pendingB = b.e.call(Junk.methods.Sleep, 1000);
    await sim.runFor(1);
    net.deleteEnd(b.name);
    expect(await sim.settle(pendingB)).toEqual({ ok: false, reason: "closed" });
    const pendingA = a.e.call(Junk.methods.Sleep, 1000);
    await sim.runFor(1);
    net.cleanup();
    expect(await sim.settle(pendingA)).toEqual({ ok: false, reason: "closed" });
    expect(await sim.settle(a.e.call(Junk.methods.Handler2, 1))).toEqual({
      ok: false,
      reason: "closed",
    });
  });

  it("rejects misuse with typed errors", () => {
    const { net } = world();
    net.makeEnd("x");
    expect(() => net.makeEnd("x")).toThrow(RpcUsageError);
    expect(() => net.connect("nope", "server")).toThrow(RpcUsageError);
    expect(() => net.enable("nope", true)).toThrow(RpcUsageError);
  });

  it("the same seed gives the same unreliable schedule; another seed another one", async () => {
    async function outcome(seed: number): Promise<string> {
      const { sim, net, end } = world(seed);
      net.setReliable(false);
      net.setLongReordering(true);
      const ends = Array.from({ length: 10 }, () => end().e);
      const events: string[] = [];
      await sim.settle(
        Promise.all(
          ends.flatMap((e, c) =>
            Array.from({ length: 10 }, (_, i) =>
              e.call(Junk.methods.Handler2, c * 10 + i).then((r) => {
                events.push(`${sim.now()}:${c}.${i}:${r.ok ? "ok" : r.reason}`);
              }),
            ),
          ),
        ),
      );
      return events.join(" ");
    }
    expect(await outcome(77)).toBe(await outcome(77));
    expect(await outcome(78)).not.toBe(await outcome(77));
  });
});

describe("simulated Network: latency in reliable mode", () => {
  it("delivers at once by default, as the course's network does", async () => {
    const { sim, end, log } = world();
    const { e } = end();
    await sim.settle(e.call(Junk.methods.Handler2, 1));
    expect(log).toEqual(["h2 1"]);
    expect(sim.now()).toBe(0);
  });

  it("with reliableDelayMaxMs, delays each request by 0..max ms and still delivers all", async () => {
    const sim = new Simulator({ seed: 5 });
    const net = new Network(sim, { faults: { reliableDelayMaxMs: 10 } });
    const arrivals: number[] = [];
    net.addServer(
      "server",
      new RpcServer().addService(Junk, {
        Handler1: (s) => Number.parseInt(s, 10),
        Handler2: (n) => {
          arrivals.push(sim.now());
          return `handler2-${n}`;
        },
        Handler4: (s) => s,
        Length: (s) => s.length,
        Repeat: (n) => "y".repeat(n),
        Sleep: (ms) => ms,
      }),
    );
    const e = net.makeEnd("c");
    net.connect("c", "server");
    net.enable("c", true);
    const results = await sim.settle(
      Promise.all(Array.from({ length: 200 }, (_, i) => e.call(Junk.methods.Handler2, i))),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(Math.min(...arrivals)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...arrivals)).toBeLessThanOrEqual(10);
    // Spread over the window, not all at one instant.
    expect(new Set(arrivals).size).toBeGreaterThan(5);
  });
});
