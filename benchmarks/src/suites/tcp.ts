import { createServer, connect as netConnect, type Server, type Socket } from "node:net";
import type { Codec } from "@lab/labgob";
import { type CallResult, defineService, RpcServer, TcpClientEnd, TcpServer } from "@lab/labrpc";
import { type BenchRow, type BenchSuite, row } from "../suite.js";

/**
 * The TCP transport against the floor: a raw node:net echo with the same framing semantics
 * (a 4-byte length prefix per message, many messages in flight on one connection, writes
 * batched per tick, a linear frame parser) and none of the RPC machinery (request ids, method
 * names, dispatch, timeouts, codecs, error frames). Client and server share this process in
 * both cases, so each figure is the whole CPU cost of a round trip, and the ratio is what the
 * RPC layer costs on top of the sockets.
 */

/** The identity codec: the figures measure the transport, not a serializer. */
const bytesCodec: Codec<Uint8Array> = {
  name: "bytes",
  encode: (value) => value,
  decode: (bytes) => bytes,
};
const Bench = defineService("Bench", { Echo: { request: bytesCodec, reply: bytesCodec } });

/**
 * One side of the comparison: `call` sends `payload` and resolves when its echo is back, and
 * `echoedBytes` reads the echo's size from what `call` resolved (each endpoint's own result type,
 * so neither pays for an adapter layer in the timed loop).
 */
interface Endpoint {
  call(payload: Uint8Array): Promise<unknown>;
  echoedBytes(result: unknown): number;
  close(): Promise<void>;
}

async function tcpEndpoint(): Promise<Endpoint> {
  const server = new TcpServer(new RpcServer().addService(Bench, { Echo: (bytes) => bytes }));
  const address = await server.listen();
  const end = new TcpClientEnd(address);
  return {
    call: (payload) => end.call(Bench.methods.Echo, payload),
    echoedBytes: (result) => {
      const r = result as CallResult<Uint8Array>;
      if (!r.ok) throw new Error(`TCP echo failed: ${r.reason}`);
      return r.reply.length;
    },
    close: async () => {
      await end.close();
      await server.close({ graceMs: 0 });
    },
  };
}

/**
 * Calls `onFrame` for each length-prefixed frame in a socket's stream. Simple, but it copies no
 * more than it must: a frame inside a chunk is passed on as a view, and a frame split across
 * chunks is copied once into a buffer of its size.
 */
function onFrames(socket: Socket, onFrame: (frame: Buffer) => void): void {
  let partial: Buffer | null = null;
  let filled = 0;
  let prefix: Buffer | null = null;
  socket.on("data", (data: Buffer) => {
    // A length prefix split across chunks is rare and tiny: join it to the next chunk.
    const chunk = prefix === null ? data : Buffer.concat([prefix, data]);
    prefix = null;
    let offset = 0;
    if (partial !== null) {
      offset = chunk.copy(partial, filled, 0, partial.length - filled);
      filled += offset;
      if (filled < partial.length) return;
      onFrame(partial);
      partial = null;
    }
    while (chunk.length - offset >= 4) {
      const end = offset + 4 + chunk.readUInt32BE(offset);
      if (end > chunk.length) {
        partial = Buffer.allocUnsafe(end - offset);
        filled = chunk.copy(partial, 0, offset);
        return;
      }
      onFrame(chunk.subarray(offset, end));
      offset = end;
    }
    if (offset < chunk.length) prefix = chunk.subarray(offset);
  });
}

/**
 * Writes to a socket batched per tick, as any careful sender does: cork on the first write of a
 * tick and uncork on the next, so a burst of messages leaves in one system call.
 */
function batchedWriter(socket: Socket): (data: Uint8Array) => void {
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  return (data) => {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    socket.write(data);
  };
}

async function rawEndpoint(): Promise<Endpoint> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on("close", () => sockets.delete(socket));
    const write = batchedWriter(socket);
    onFrames(socket, write);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("no address");
  const socket = netConnect({ host: "127.0.0.1", port: address.port });
  socket.setNoDelay(true);
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  const write = batchedWriter(socket);
  // The echo server answers in order, so replies match calls first-in, first-out.
  const waiting: ((reply: Uint8Array) => void)[] = [];
  onFrames(socket, (frame) => {
    const resolve = waiting.shift() as (reply: Uint8Array) => void;
    resolve(frame.subarray(4));
  });
  return {
    echoedBytes: (result) => (result as Uint8Array).length,
    call: (payload) =>
      new Promise((resolve) => {
        waiting.push(resolve);
        const frame = Buffer.allocUnsafe(4 + payload.length);
        frame.writeUInt32BE(payload.length, 0);
        frame.set(payload, 4);
        write(frame);
      }),
    close: async () => {
      socket.destroy();
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Keeps `concurrency` calls in flight for `budgetMs`; returns round trips per second. */
async function roundTrips(
  endpoint: Endpoint,
  payload: Uint8Array,
  concurrency: number,
  budgetMs: number,
): Promise<number> {
  let done = 0;
  const start = performance.now();
  const deadline = start + budgetMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const result = await endpoint.call(payload);
      if (endpoint.echoedBytes(result) !== payload.length) {
        throw new Error("echo changed the payload size");
      }
      done++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return done / ((performance.now() - start) / 1000);
}

interface Case {
  readonly name: string;
  readonly payloadBytes: number;
  readonly concurrency: number;
  readonly metric: string;
  readonly unit: string;
  /** Converts round trips per second into the reported figure. */
  readonly figure: (roundTripsPerSecond: number) => number;
}

const perSecond = (rate: number) => rate;
const CASES: readonly Case[] = [
  {
    name: "round trip, 1 call in flight, 16 B",
    payloadBytes: 16,
    concurrency: 1,
    metric: "round trips/s",
    unit: "calls/s",
    figure: perSecond,
  },
  {
    name: "round trips, 64 calls in flight, 16 B",
    payloadBytes: 16,
    concurrency: 64,
    metric: "round trips/s",
    unit: "calls/s",
    figure: perSecond,
  },
  {
    name: "64 KiB payloads, 8 calls in flight",
    payloadBytes: 64 * 1024,
    concurrency: 8,
    metric: "payload throughput (each way)",
    unit: "MB/s",
    figure: (rate) => (rate * 64 * 1024) / 1e6,
  },
];

/**
 * Measures one case on both endpoints in alternating rounds, so a load change on the machine
 * hits both alike, and keeps each side's best round (the least disturbed one).
 */
async function compare(
  raw: Endpoint,
  tcp: Endpoint,
  c: Case,
  rounds: number,
  roundMs: number,
): Promise<{ value: number; baseline: number }> {
  const payload = new Uint8Array(c.payloadBytes).fill(0x5a);
  await roundTrips(raw, payload, c.concurrency, roundMs);
  await roundTrips(tcp, payload, c.concurrency, roundMs);
  let bestRaw = 0;
  let bestTcp = 0;
  for (let i = 0; i < rounds; i++) {
    bestRaw = Math.max(bestRaw, await roundTrips(raw, payload, c.concurrency, roundMs));
    bestTcp = Math.max(bestTcp, await roundTrips(tcp, payload, c.concurrency, roundMs));
  }
  return { value: c.figure(bestTcp), baseline: c.figure(bestRaw) };
}

const suite: BenchSuite = {
  name: "tcp",
  description: "TCP transport round trips and throughput beside a raw node:net echo",
  async run(ctx): Promise<BenchRow[]> {
    // Per case: a warm-up round each, then alternating rounds: about 2.5 s with --quick.
    const rounds = ctx.quick ? 4 : 10;
    const roundMs = ctx.quick ? 250 : 500;
    const tcp = await tcpEndpoint();
    const raw = await rawEndpoint();
    const rows: BenchRow[] = [];
    try {
      for (const c of CASES) {
        const { value, baseline } = await compare(raw, tcp, c, rounds, roundMs);
        ctx.log(`tcp: ${c.name}: ${value.toFixed(0)} vs raw ${baseline.toFixed(0)} ${c.unit}`);
        rows.push(
          row({
            suite: "tcp",
            case: c.name,
            metric: c.metric,
            value,
            unit: c.unit,
            baseline,
            baselineName: "raw node:net echo",
          }),
        );
      }
    } finally {
      await tcp.close();
      await raw.close();
    }
    return rows;
  },
};

export default suite;
