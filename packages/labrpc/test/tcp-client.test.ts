import { createServer, type Server, type Socket } from "node:net";
import { CodecError, codecs, field, message } from "@lab/labgob";
import { afterEach, describe, expect, it } from "vitest";
import { RpcUsageError } from "../src/errors.js";
import { defineService } from "../src/method.js";
import { RpcServer } from "../src/rpc-server.js";
import { FrameCorruptError, FrameTooLargeError } from "../src/tcp/frame-errors.js";
import { TcpClientEnd } from "../src/tcp/tcp-client-end.js";
import { TcpServer } from "../src/tcp/tcp-server.js";
import { TcpTransport } from "../src/tcp/tcp-transport.js";
import {
  Probe,
  ProbeDecodeError,
  type ProbeRequest,
  probeReplyCodec,
} from "../src/testing/transport-probe.js";

const VoteArgs = message("VoteArgs", {
  term: field.uint(1),
  candidate: field.string(2),
  lastLog: field.repeated(field.uint(), 3),
});
const VoteReply = message("VoteReply", { term: field.uint(1), granted: field.bool(2) });
const Raftish = defineService("Raftish", {
  Vote: { request: VoteArgs, reply: VoteReply },
  Square: { request: codecs.int, reply: codecs.int },
});
/** The server's Square, with a reply codec that cannot read what the server sends. */
const SquareMisread = defineService("Raftish", {
  Square: { request: codecs.int, reply: probeReplyCodec },
}).methods.Square;

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function rpcServer(hanging: (() => void)[] = []): RpcServer {
  return new RpcServer()
    .addService(Probe, {
      Echo: (request) => ({ id: request.id, payload: request.payload }),
      Hang: (request) =>
        new Promise((resolve) =>
          hanging.push(() => resolve({ id: request.id, payload: request.payload })),
        ),
      Fail: (text) => {
        throw new Error(text);
      },
      Strict: (text) => text,
    })
    .addService(Raftish, {
      Vote: (args) => ({ term: args.term + 1, granted: args.lastLog.length > 2 }),
      Square: (n) => n * n,
    });
}

async function serve(port = 0, hanging: (() => void)[] = []): Promise<TcpServer> {
  const server = new TcpServer(rpcServer(hanging), { port });
  await server.listen();
  cleanup.push(() => server.close({ graceMs: 0 }));
  return server;
}

function endTo(
  port: number,
  options: ConstructorParameters<typeof TcpClientEnd>[1] = {},
): TcpClientEnd {
  const end = new TcpClientEnd(`127.0.0.1:${port}`, options);
  cleanup.push(() => end.close());
  return end;
}

/** A raw TCP server answering every connection with `respond(socket)`. */
async function rawServer(
  respond: (socket: Socket) => void,
): Promise<{ server: Server; port: number }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on("error", () => {});
    respond(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanup.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("no address");
  return { server, port: address.port };
}

const ping: ProbeRequest = { id: 3, delayMs: 0, payload: new Uint8Array([3]) };

describe("TcpClientEnd", () => {
  it("carries labgob messages both ways", async () => {
    const server = await serve();
    const end = endTo(server.address.port);
    const result = await end.call(Raftish.methods.Vote, {
      term: 4,
      candidate: "s1",
      lastLog: [1, 2, 3],
    });
    expect(result).toEqual({ ok: true, reply: { term: 5, granted: true } });
    expect(end.name).toBe(`127.0.0.1:${server.address.port}`);
  });

  it("opens one connection for concurrent first calls, and multiplexes on it", async () => {
    const server = await serve();
    const end = endTo(server.address.port);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, n) => end.call(Raftish.methods.Square, n)),
    );
    expect(results).toEqual(Array.from({ length: 100 }, (_, n) => ({ ok: true, reply: n * n })));
    expect(end.stats).toMatchObject({ connectAttempts: 1, connections: 1, pendingCalls: 0 });
    expect(server.connectionCount).toBe(1);
  });

  it("keeps every payload intact through batching, whatever the mix of sizes", async () => {
    const server = await serve();
    const end = endTo(server.address.port);
    // Sizes around the inline limit (16 KiB) and enough frames per tick to fill several batches.
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed;
    };
    const sizes = Array.from({ length: 600 }, (_, i) =>
      i % 3 === 0 ? next() % 40_000 : i % 3 === 1 ? 16 * 1024 + (next() % 64) - 32 : next() % 300,
    );
    const sent = sizes.map((size, id) => ({
      id,
      delayMs: 0,
      payload: Uint8Array.from({ length: size }, (_, i) => (id * 7 + i) & 0xff),
    }));
    for (let from = 0; from < sent.length; from += 150) {
      const batch = sent.slice(from, from + 150);
      const results = await Promise.all(batch.map((req) => end.call(Probe.methods.Echo, req)));
      results.forEach((result, i) => {
        const req = batch[i] as ProbeRequest;
        expect(result.ok && result.reply.id).toBe(req.id);
        expect(
          result.ok && Buffer.from(result.reply.payload).equals(Buffer.from(req.payload)),
        ).toBe(true);
      });
    }
    expect(end.stats.connections).toBe(1);
  });

  it("rejects an argument its codec cannot encode without connecting", async () => {
    const server = await serve();
    const end = endTo(server.address.port);
    await expect(end.call(Raftish.methods.Square, 1.5)).rejects.toBeInstanceOf(CodecError);
    expect(end.stats.connectAttempts).toBe(0);
  });

  it("rejects a request too large for a frame without sending it", async () => {
    const server = await serve();
    const end = endTo(server.address.port, { maxFrameBytes: 4096 });
    const big = { ...ping, payload: new Uint8Array(5000) };
    const error = await end.call(Probe.methods.Echo, big).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FrameTooLargeError);
    expect((error as Error).message).toContain("for request Probe.Echo to 127.0.0.1:");
    expect(end.stats.connectAttempts).toBe(0);
    expect((await end.call(Probe.methods.Echo, ping)).ok).toBe(true);
  });

  it("rejects with the reply codec's error when a reply does not decode", async () => {
    const server = await serve();
    const end = endTo(server.address.port);
    await expect(end.call(SquareMisread, 3)).rejects.toBeInstanceOf(ProbeDecodeError);
    expect(await end.call(Raftish.methods.Square, 3)).toEqual({ ok: true, reply: 9 });
  });

  it("rejects a malformed timeoutMs as a usage error", async () => {
    const server = await serve();
    const end = endTo(server.address.port);
    await expect(end.call(Probe.methods.Echo, ping, { timeoutMs: -1 })).rejects.toBeInstanceOf(
      RpcUsageError,
    );
    await expect(
      end.call(Probe.methods.Echo, ping, { timeoutMs: Number.NaN }),
    ).rejects.toBeInstanceOf(RpcUsageError);
  });

  it("resolves `dropped` for a call in flight when the server dies", async () => {
    const hanging: (() => void)[] = [];
    const server = await serve(0, hanging);
    const end = endTo(server.address.port);
    const call = end.call(Probe.methods.Hang, ping);
    await until(() => hanging.length === 1);
    await server.close({ graceMs: 0 });
    expect(await call).toEqual({ ok: false, reason: "dropped" });
  });

  it("reconnects to a server restarted on the same port", async () => {
    const first = await serve();
    const port = first.address.port;
    const end = endTo(port, { backoff: { initialMs: 5, maxMs: 20 } });
    expect((await end.call(Probe.methods.Echo, ping)).ok).toBe(true);
    await first.close({ graceMs: 0 });
    await until(() => end.stats.state === "idle");
    expect(await end.call(Probe.methods.Echo, ping)).toEqual({ ok: false, reason: "unreachable" });

    await serve(port);
    let result = await end.call(Probe.methods.Echo, ping);
    while (!result.ok) {
      // Inside a backoff window calls fail fast; keep calling until the window has passed.
      expect(result).toEqual({ ok: false, reason: "unreachable" });
      await new Promise((resolve) => setTimeout(resolve, 5));
      result = await end.call(Probe.methods.Echo, ping);
    }
    expect(end.stats).toMatchObject({ connections: 2, failures: 0, state: "open" });
  });

  it("drops its calls and reports it when the server sends garbage", async () => {
    const { port } = await rawServer((socket) => {
      socket.once("data", () => socket.write(Buffer.from([0, 0, 0, 5, 0x42, 0, 0, 0, 1])));
    });
    const errors: Error[] = [];
    const end = endTo(port, { onError: (error) => errors.push(error) });
    expect(await end.call(Probe.methods.Echo, ping)).toEqual({ ok: false, reason: "dropped" });
    expect(errors).toEqual([expect.any(FrameCorruptError)]);
    expect(errors[0]?.message).toContain(`from server 127.0.0.1:${port}`);
  });

  it("drops its calls and reports it when the server announces an oversized frame", async () => {
    const { port } = await rawServer((socket) => {
      socket.once("data", () => socket.write(Buffer.from([0x7f, 0, 0, 0])));
    });
    const errors: Error[] = [];
    const end = endTo(port, { onError: (error) => errors.push(error) });
    expect(await end.call(Probe.methods.Echo, ping)).toEqual({ ok: false, reason: "dropped" });
    expect(errors).toEqual([expect.any(FrameTooLargeError)]);
  });

  it("ignores replies to ids it never sent", async () => {
    const { port } = await rawServer((socket) => {
      socket.once("data", (chunk: Buffer) => {
        const id = chunk.readUInt32BE(5);
        // A stray reply for another id, then the real one (payload: u32 id 3 + [3]).
        socket.write(Buffer.from([0, 0, 0, 10, 2, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 9, 9]));
        const reply = Buffer.from([0, 0, 0, 10, 2, 0, 0, 0, 0, 0, 0, 0, 3, 3]);
        reply.writeUInt32BE(id, 5);
        socket.write(reply);
      });
    });
    const end = endTo(port);
    const result = await end.call(Probe.methods.Echo, ping);
    expect(result.ok && result.reply).toEqual({ id: 3, payload: new Uint8Array([3]) });
  });

  it("close() resolves calls in flight and later calls `closed`, and is idempotent", async () => {
    const hanging: (() => void)[] = [];
    const server = await serve(0, hanging);
    const end = endTo(server.address.port);
    const call = end.call(Probe.methods.Hang, ping);
    await until(() => hanging.length === 1);
    const closing = end.close();
    expect(end.close()).toBe(closing);
    await closing;
    expect(await call).toEqual({ ok: false, reason: "closed" });
    expect(await end.call(Probe.methods.Echo, ping)).toEqual({ ok: false, reason: "closed" });
    expect(end.stats.state).toBe("closed");
  });

  it("does not keep the process alive with an idle connection", async () => {
    const hanging: (() => void)[] = [];
    const server = await serve(0, hanging);
    const end = endTo(server.address.port);
    await end.call(Probe.methods.Echo, ping);
    const sockets = () =>
      process.getActiveResourcesInfo().filter((r) => r === "TCPSocketWrap").length;
    // Idle: only the server's side of the connection holds the loop (the server is listening).
    const idle = sockets();
    const call = end.call(Probe.methods.Hang, ping);
    expect(sockets()).toBe(idle + 1);
    await until(() => hanging.length === 1);
    hanging[0]?.();
    await call;
    expect(sockets()).toBe(idle);
  });

  it("validates its address and options", () => {
    expect(() => new TcpClientEnd("nowhere")).toThrow(RpcUsageError);
    expect(() => new TcpClientEnd("127.0.0.1:1", { connectTimeoutMs: -5 })).toThrow(
      /connectTimeoutMs/,
    );
    expect(() => new TcpClientEnd("127.0.0.1:1", { backoff: { initialMs: -1 } })).toThrow(
      /initialMs/,
    );
    expect(new TcpClientEnd("[::1]:9", { name: "peer-2" }).name).toBe("peer-2");
  });
});

describe("TcpTransport", () => {
  it("creates servers and ends with shared options and closes them all", async () => {
    const errors: string[] = [];
    const transport = new TcpTransport({
      maxFrameBytes: 8192,
      backoff: { initialMs: 10 },
      onError: (_error, where) => errors.push(where),
    });
    const server = await transport.serve(rpcServer());
    const end = transport.end(server.address, { name: "a" });
    expect(end.name).toBe("a");
    expect(await end.call(Raftish.methods.Square, 12)).toEqual({ ok: true, reply: 144 });
    await expect(
      end.call(Probe.methods.Echo, { ...ping, payload: new Uint8Array(9000) }),
    ).rejects.toBeInstanceOf(FrameTooLargeError);
    await transport.close();
    expect(await end.call(Raftish.methods.Square, 1)).toEqual({ ok: false, reason: "closed" });
    expect(server.connectionCount).toBe(0);
    expect(errors).toEqual([]);
  });
});

/** Waits (in real time, without any bound on how long) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
