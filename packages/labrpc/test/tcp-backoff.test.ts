import { createServer, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { Clock, Timer } from "../src/clock.js";
import { RpcServer } from "../src/rpc-server.js";
import { Backoff } from "../src/tcp/backoff.js";
import { TcpClientEnd } from "../src/tcp/tcp-client-end.js";
import { TcpServer } from "../src/tcp/tcp-server.js";
import { Probe } from "../src/testing/transport-probe.js";

/** A clock that moves only when the test says so: backoff is checked without real waiting. */
class ManualClock implements Clock {
  #now = 0;
  #timers: { at: number; callback: () => void; live: boolean }[] = [];

  now(): number {
    return this.#now;
  }

  setTimer(delayMs: number, callback: () => void): Timer {
    const timer = { at: this.#now + delayMs, callback, live: true };
    this.#timers.push(timer);
    return { cancel: () => (timer.live = false) };
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(ms, resolve));
  }

  advanceTo(time: number): void {
    this.#now = time;
    for (const timer of this.#timers) {
      if (timer.live && timer.at <= time) {
        timer.live = false;
        timer.callback();
      }
    }
  }
}

function probeServer(): RpcServer {
  return new RpcServer().addService(Probe, {
    Echo: (request) => ({ id: request.id, payload: request.payload }),
    Hang: () => new Promise(() => {}),
    Fail: (text) => text,
    Strict: (text) => text,
  });
}

/** A port nothing listens on (it was free a moment ago). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (typeof address !== "object" || address === null) throw new Error("no address");
  return address.port;
}

const echo = { id: 1, delayMs: 0, payload: new Uint8Array([1]) };
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe("Backoff", () => {
  it("doubles from initialMs up to maxMs, scaled by a jitter factor in [0.5, 1]", () => {
    const low = new Backoff({ initialMs: 100, maxMs: 1000 }, () => 0);
    expect([1, 2, 3, 4, 5, 6].map((n) => low.delayMs(n))).toEqual([50, 100, 200, 400, 500, 500]);
    const high = new Backoff({ initialMs: 100, maxMs: 1000 }, () => 1);
    expect([1, 2, 3, 4, 5].map((n) => high.delayMs(n))).toEqual([100, 200, 400, 800, 1000]);
    const mid = new Backoff({ initialMs: 100, maxMs: 1000 }, () => 0.5);
    expect(mid.delayMs(2)).toBe(150);
  });

  it("stays finite after very many failures", () => {
    expect(new Backoff({ initialMs: 1, maxMs: 30_000 }, () => 1).delayMs(10_000)).toBe(30_000);
  });

  it("rejects nonsensical settings", () => {
    expect(() => new Backoff({ initialMs: 0 })).toThrow(/initialMs/);
    expect(() => new Backoff({ initialMs: 100, maxMs: 10 })).toThrow(/maxMs/);
  });
});

describe("TcpClientEnd reconnect pacing (injected clock)", () => {
  it("attempts no connect inside the backoff window, then connects once it has passed", async () => {
    const clock = new ManualClock();
    const port = await freePort();
    const end = new TcpClientEnd(
      { host: "127.0.0.1", port },
      { clock, random: () => 0.5, backoff: { initialMs: 100, maxMs: 400 } },
    );
    cleanup.push(() => end.close());

    // Nothing listens: the first call tries, fails, and starts a 75 ms window (100 * 0.75).
    expect(await end.call(Probe.methods.Echo, echo)).toEqual({ ok: false, reason: "unreachable" });
    expect(end.stats).toMatchObject({
      connectAttempts: 1,
      failures: 1,
      retryAt: 75,
      state: "idle",
    });

    // Inside the window: unreachable at once, no attempt.
    clock.advanceTo(74);
    expect(await end.call(Probe.methods.Echo, echo)).toEqual({ ok: false, reason: "unreachable" });
    expect(end.stats.connectAttempts).toBe(1);

    // Each further failure doubles the window: 150, 300, then the 400 cap (300 after jitter).
    clock.advanceTo(75);
    await end.call(Probe.methods.Echo, echo);
    expect(end.stats).toMatchObject({ connectAttempts: 2, failures: 2, retryAt: 75 + 150 });
    clock.advanceTo(225);
    await end.call(Probe.methods.Echo, echo);
    expect(end.stats).toMatchObject({ connectAttempts: 3, failures: 3, retryAt: 225 + 300 });
    clock.advanceTo(525);
    await end.call(Probe.methods.Echo, echo);
    expect(end.stats).toMatchObject({ connectAttempts: 4, failures: 4, retryAt: 525 + 300 });

    // The server comes up; the end still waits out its window before trying again.
    const server = new TcpServer(probeServer(), { port });
    await server.listen();
    cleanup.push(() => server.close({ graceMs: 0 }));
    clock.advanceTo(824);
    expect(await end.call(Probe.methods.Echo, echo)).toEqual({ ok: false, reason: "unreachable" });
    expect(end.stats.connectAttempts).toBe(4);
    clock.advanceTo(825);
    const result = await end.call(Probe.methods.Echo, echo);
    expect(result.ok).toBe(true);
    expect(end.stats).toMatchObject({
      connectAttempts: 5,
      connections: 1,
      failures: 0,
      retryAt: 0,
      state: "open",
    });
  });

  it("reconnects at once after a working connection breaks, then backs off if that fails", async () => {
    const clock = new ManualClock();
    const server = new TcpServer(probeServer());
    const { port } = await server.listen();
    const end = new TcpClientEnd(
      { host: "127.0.0.1", port },
      { clock, random: () => 1, backoff: { initialMs: 1000 } },
    );
    cleanup.push(() => end.close());
    expect((await end.call(Probe.methods.Echo, echo)).ok).toBe(true);
    await server.close({ graceMs: 0 });
    await until(() => end.stats.state === "idle");

    // No window after a loss: the next call tries right away (and finds nobody).
    expect(await end.call(Probe.methods.Echo, echo)).toEqual({ ok: false, reason: "unreachable" });
    expect(end.stats).toMatchObject({ connectAttempts: 2, failures: 1, retryAt: 1000 });
  });

  it("bounds a connect attempt by connectTimeoutMs on the injected clock", async () => {
    const clock = new ManualClock();
    // A TCP server that never completes a TLS handshake: the attempt hangs until the timeout.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    cleanup.push(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });
    const address = silent.address();
    if (typeof address !== "object" || address === null) throw new Error("no address");
    const end = new TcpClientEnd(
      { host: "127.0.0.1", port: address.port },
      { clock, connectTimeoutMs: 500, tls: { rejectUnauthorized: true } },
    );
    cleanup.push(() => end.close());
    const call = end.call(Probe.methods.Echo, echo);
    await until(() => sockets.length === 1);
    expect(end.stats.state).toBe("connecting");
    clock.advanceTo(500);
    expect(await call).toEqual({ ok: false, reason: "unreachable" });
    expect(end.stats).toMatchObject({ state: "idle", failures: 1 });
  });
});

/** Waits (in real time, without any bound on how long) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
