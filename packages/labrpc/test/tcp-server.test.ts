import { connect, type Socket } from "node:net";
import { codecs, isLabError } from "@lab/labgob";
import { afterEach, describe, expect, it } from "vitest";
import { BadRequestError, HandlerError } from "../src/errors.js";
import { defineService } from "../src/method.js";
import { RpcServer } from "../src/rpc-server.js";
import { FrameCorruptError, FrameTooLargeError } from "../src/tcp/frame-errors.js";
import { TcpClientEnd } from "../src/tcp/tcp-client-end.js";
import { TcpServer } from "../src/tcp/tcp-server.js";
import { Probe, type ProbeRequest } from "../src/testing/transport-probe.js";

const Numbers = defineService("Numbers", {
  Square: { request: codecs.int, reply: codecs.int },
  Blob: { request: codecs.int, reply: codecs.bytes },
});
/** Same method name, another request type: a client/server codec mismatch. */
const NumbersAsText = defineService("Numbers", {
  Square: { request: codecs.string, reply: codecs.int },
});

interface Fixture {
  server: TcpServer;
  port: number;
  errors: { error: Error; peer: string }[];
  /** Resolvers of Probe.Hang calls currently held. */
  hanging: (() => void)[];
  end(options?: ConstructorParameters<typeof TcpClientEnd>[1]): TcpClientEnd;
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function serve(options: ConstructorParameters<typeof TcpServer>[1] = {}): Promise<Fixture> {
  const errors: { error: Error; peer: string }[] = [];
  const hanging: (() => void)[] = [];
  const rpc = new RpcServer()
    .addService(Probe, {
      async Echo(request: ProbeRequest) {
        if (request.delayMs > 0) await new Promise((r) => setTimeout(r, request.delayMs));
        return { id: request.id, payload: request.payload };
      },
      Hang: (request) =>
        new Promise((resolve) =>
          hanging.push(() => resolve({ id: request.id, payload: request.payload })),
        ),
      Fail(text) {
        // Not even an Error: the server must still answer with a HandlerError.
        throw `thrown string: ${text}`;
      },
      Strict: (text) => text,
    })
    .addService(Numbers, {
      Square: (n) => n * n,
      Blob: (n) => new Uint8Array(n),
    });
  const server = new TcpServer(rpc, {
    ...options,
    onError: (error, peer) => errors.push({ error, peer }),
  });
  const { port } = await server.listen();
  cleanup.push(() => server.close({ graceMs: 0 }));
  return {
    server,
    port,
    errors,
    hanging,
    end(endOptions = {}) {
      const end = new TcpClientEnd({ host: "127.0.0.1", port }, endOptions);
      cleanup.push(() => end.close());
      return end;
    },
  };
}

/** A raw socket to the server, with its received bytes and a promise of its closing. */
async function raw(
  port: number,
): Promise<{ socket: Socket; closed: Promise<void>; received: Buffer[] }> {
  const socket = connect({ host: "127.0.0.1", port });
  const received: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => received.push(chunk));
  socket.on("error", () => {});
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  cleanup.push(() => {
    socket.destroy();
  });
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  return { socket, closed, received };
}

const ping: ProbeRequest = { id: 1, delayMs: 0, payload: new Uint8Array([1, 2, 3]) };

async function expectServed(end: TcpClientEnd): Promise<void> {
  const result = await end.call(Probe.methods.Echo, ping);
  expect(result.ok && [...result.reply.payload]).toEqual([1, 2, 3]);
}

describe("TcpServer with misbehaving peers", () => {
  it("closes a connection that announces an oversized frame and keeps serving the others", async () => {
    const fx = await serve({ maxFrameBytes: 64 * 1024 });
    const good = fx.end();
    await expectServed(good);
    const bad = await raw(fx.port);
    const badPort = bad.socket.localPort;
    bad.socket.write(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    await bad.closed;
    expect(fx.errors).toHaveLength(1);
    const { error, peer } = fx.errors[0] as { error: Error; peer: string };
    expect(error).toBeInstanceOf(FrameTooLargeError);
    expect(error).toMatchObject({ code: "LAB_RPC_FRAME_TOO_LARGE", maxFrameBytes: 64 * 1024 });
    expect(peer).toBe(`127.0.0.1:${badPort}`);
    await expectServed(good);
    await expectServed(fx.end());
  });

  it("reports text sent to it (an HTTP request) as too large a frame", async () => {
    const fx = await serve();
    const bad = await raw(fx.port);
    bad.socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    await bad.closed;
    expect(fx.errors[0]?.error).toBeInstanceOf(FrameTooLargeError);
    await expectServed(fx.end());
  });

  it("closes a connection that sends garbage frames and keeps serving the others", async () => {
    const fx = await serve();
    const good = fx.end();
    await expectServed(good);
    const bad = await raw(fx.port);
    bad.socket.write(Buffer.from([0, 0, 0, 6, 0x7f, 1, 2, 3, 4, 5]));
    await bad.closed;
    expect(fx.errors.map((e) => e.error)).toEqual([expect.any(FrameCorruptError)]);
    expect(fx.errors[0]?.error.message).toContain("unknown frame kind 127");
    expect(bad.received).toHaveLength(0);
    await expectServed(good);
  });

  it("treats a reply frame sent by a client as corrupt", async () => {
    const fx = await serve();
    const bad = await raw(fx.port);
    bad.socket.write(Buffer.from([0, 0, 0, 5, 2, 0, 0, 0, 9]));
    await bad.closed;
    expect(fx.errors[0]?.error).toBeInstanceOf(FrameCorruptError);
    expect(fx.errors[0]?.error.message).toContain("reply frame");
  });

  it("reports a connection that ends inside a frame, and keeps serving", async () => {
    const fx = await serve();
    const bad = await raw(fx.port);
    bad.socket.end(Buffer.from([0, 0, 0, 100, 1, 0, 0, 0, 1, 0]));
    await bad.closed;
    expect(fx.errors.map((e) => e.error)).toEqual([expect.any(FrameCorruptError)]);
    expect(fx.errors[0]?.error.message).toContain("ended inside a frame (10 bytes of 104 bytes");
    await expectServed(fx.end());
  });

  it("answers a request the server cannot decode with BadRequestError", async () => {
    const fx = await serve();
    const end = fx.end();
    const error = await end.call(NumbersAsText.methods.Square, "seven").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(isLabError(error, HandlerError)).toBe(true);
    expect((error as Error).message).toContain("request cannot be decoded");
    expect(await end.call(Numbers.methods.Square, 7)).toEqual({ ok: true, reply: 49 });
  });

  it("answers a handler that throws a non-Error with HandlerError", async () => {
    const fx = await serve();
    const error = await fx
      .end()
      .call(Probe.methods.Fail, "oops")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HandlerError);
    expect((error as HandlerError).remoteMessage).toBe("thrown string: oops");
  });

  it("answers a reply too large for a frame with HandlerError, and stays usable", async () => {
    const fx = await serve({ maxFrameBytes: 4096 });
    const end = fx.end();
    const error = await end.call(Numbers.methods.Blob, 5000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HandlerError);
    expect((error as Error).message).toMatch(
      /reply is a frame of \d+ bytes, above the maximum of 4096/,
    );
    const small = await end.call(Numbers.methods.Blob, 100);
    expect(small.ok && small.reply.length).toBe(100);
  });

  it("rejects listen() twice, and listen() on a port in use", async () => {
    const fx = await serve();
    await expect(fx.server.listen()).rejects.toThrow(/listen\(\) called when listening/);
    const clash = new TcpServer(new RpcServer(), { port: fx.port });
    await expect(clash.listen()).rejects.toMatchObject({ code: "EADDRINUSE" });
    await clash.close();
  });

  it("validates its options", () => {
    expect(() => new TcpServer(new RpcServer(), { port: 70_000 })).toThrow(/0\.\.65535/);
    expect(() => new TcpServer(new RpcServer(), { maxFrameBytes: 10 })).toThrow(/maxFrameBytes/);
    expect(() => new TcpServer(new RpcServer(), { closeGraceMs: -1 })).toThrow(/closeGraceMs/);
  });
});

describe("TcpServer.close", () => {
  it("lets calls in flight finish and answers them, then closes the connections", async () => {
    const fx = await serve();
    const end = fx.end();
    const inFlight = end.call(Probe.methods.Hang, ping);
    await until(() => fx.hanging.length === 1);
    const closing = fx.server.close({ graceMs: 60_000 });
    // New connections are refused while the server drains.
    expect(await fx.end().call(Probe.methods.Echo, ping)).toEqual({
      ok: false,
      reason: "unreachable",
    });
    fx.hanging[0]?.();
    await closing;
    const result = await inFlight;
    expect(result.ok && [...result.reply.payload]).toEqual([1, 2, 3]);
    expect(fx.server.connectionCount).toBe(0);
    await until(() => end.stats.state === "idle");
    expect(await end.call(Probe.methods.Echo, ping)).toEqual({ ok: false, reason: "unreachable" });
  });

  it("drops calls still running when the grace period ends", async () => {
    const fx = await serve();
    const end = fx.end();
    const stuck = end.call(Probe.methods.Hang, ping);
    await until(() => fx.hanging.length === 1);
    await fx.server.close({ graceMs: 20 });
    expect(await stuck).toEqual({ ok: false, reason: "dropped" });
    // The handler finishing later is harmless: its reply goes nowhere.
    fx.hanging[0]?.();
  });

  it("is idempotent, and closing a server that never listened resolves", async () => {
    const fx = await serve();
    const first = fx.server.close({ graceMs: 0 });
    expect(fx.server.close()).toBe(first);
    await first;
    await new TcpServer(new RpcServer()).close();
  });
});

/** Waits (in real time, without any bound on how long) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
