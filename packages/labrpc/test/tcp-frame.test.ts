import type { Socket } from "node:net";
import { PassThrough } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BadRequestError, HandlerError, UnknownMethodError } from "../src/errors.js";
import { formatAddress, parseAddress } from "../src/tcp/address.js";
import {
  KIND_ERROR,
  KIND_REPLY,
  KIND_REQUEST,
  REQUEST_HEADER_BYTES,
  requestFrameBytes,
  writeHeader,
} from "../src/tcp/frame.js";
import { FrameDecoder, type FrameSink } from "../src/tcp/frame-decoder.js";
import { FrameCorruptError, FrameTooLargeError } from "../src/tcp/frame-errors.js";
import { FrameWriter } from "../src/tcp/frame-writer.js";
import {
  decodeRemoteError,
  describeDispatchError,
  encodeRemoteError,
  remoteErrorToError,
} from "../src/tcp/remote-error.js";

type Seen =
  | { kind: "request"; id: number; method: string; payload: number[] }
  | { kind: "reply" | "error"; id: number; payload: number[] };

function collector(): { sink: FrameSink; seen: Seen[] } {
  const seen: Seen[] = [];
  return {
    seen,
    sink: {
      request: (id, method, payload) =>
        seen.push({ kind: "request", id, method, payload: [...payload] }),
      reply: (id, payload) => seen.push({ kind: "reply", id, payload: [...payload] }),
      error: (id, payload) => seen.push({ kind: "error", id, payload: [...payload] }),
    },
  };
}

function requestFrame(id: number, method: string, payload: number[]): Buffer {
  const name = Buffer.from(method);
  const buf = Buffer.alloc(requestFrameBytes(name.length, payload.length));
  const at = writeHeader(buf, 0, buf.length, KIND_REQUEST, id, name);
  Buffer.from(payload).copy(buf, at);
  return buf;
}

function replyFrame(kind: number, id: number, payload: number[]): Buffer {
  const buf = Buffer.alloc(9 + payload.length);
  const at = writeHeader(buf, 0, buf.length, kind, id, null);
  Buffer.from(payload).copy(buf, at);
  return buf;
}

const MAX = 1 << 20;

describe("frame format", () => {
  it("lays out a request as length, kind, id, name length, name, payload", () => {
    const frame = requestFrame(0x01020304, "A.B", [9, 8]);
    expect([...frame]).toEqual([0, 0, 0, 12, 1, 1, 2, 3, 4, 0, 3, 65, 46, 66, 9, 8]);
    expect(frame.length).toBe(REQUEST_HEADER_BYTES + 3 + 2);
  });

  it("lays out a reply as length, kind, id, payload", () => {
    expect([...replyFrame(KIND_REPLY, 7, [5])]).toEqual([0, 0, 0, 6, 2, 0, 0, 0, 7, 5]);
  });
});

describe("FrameDecoder", () => {
  it("decodes several frames delivered in one chunk", () => {
    const { sink, seen } = collector();
    const decoder = new FrameDecoder(MAX, sink, "test");
    decoder.push(
      Buffer.concat([
        requestFrame(1, "Raft.Vote", [1, 2]),
        replyFrame(KIND_REPLY, 2, []),
        replyFrame(KIND_ERROR, 3, [7]),
      ]),
    );
    expect(seen).toEqual([
      { kind: "request", id: 1, method: "Raft.Vote", payload: [1, 2] },
      { kind: "reply", id: 2, payload: [] },
      { kind: "error", id: 3, payload: [7] },
    ]);
    expect(decoder.bufferedBytes).toBe(0);
    expect(decoder.finish()).toBeNull();
  });

  it("decodes a frame delivered one byte at a time", () => {
    const { sink, seen } = collector();
    const decoder = new FrameDecoder(MAX, sink, "test");
    const frame = requestFrame(42, "S.M", [1, 2, 3, 4, 5]);
    for (let i = 0; i < frame.length; i++) {
      expect(seen).toHaveLength(0);
      decoder.push(frame.subarray(i, i + 1));
    }
    expect(seen).toEqual([{ kind: "request", id: 42, method: "S.M", payload: [1, 2, 3, 4, 5] }]);
  });

  it("decodes any stream of frames however it is split into chunks", () => {
    const frameArb = fc.oneof(
      fc.record({
        kind: fc.constant("request" as const),
        id: fc.nat({ max: 0xffff_ffff }),
        method: fc.stringMatching(/^[A-Z][a-z]{0,8}\.[A-Z][a-z]{0,8}$/),
        payload: fc.array(fc.nat({ max: 255 }), { maxLength: 300 }),
      }),
      fc.record({
        kind: fc.constantFrom("reply" as const, "error" as const),
        id: fc.nat({ max: 0xffff_ffff }),
        payload: fc.array(fc.nat({ max: 255 }), { maxLength: 300 }),
      }),
    );
    fc.assert(
      fc.property(
        fc.array(frameArb, { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (frames, cuts) => {
          const bytes = Buffer.concat(
            frames.map((f) =>
              f.kind === "request"
                ? requestFrame(f.id, f.method, f.payload)
                : replyFrame(f.kind === "reply" ? KIND_REPLY : KIND_ERROR, f.id, f.payload),
            ),
          );
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort(
            (a, b) => a - b,
          );
          const { sink, seen } = collector();
          const decoder = new FrameDecoder(MAX, sink, "test");
          let from = 0;
          for (const to of [...points, bytes.length]) {
            decoder.push(bytes.subarray(from, to));
            from = to;
          }
          expect(seen).toEqual(frames);
          expect(decoder.finish()).toBeNull();
        },
      ),
    );
  });

  it("hands on frames inside a chunk as views, and copies a split frame once", () => {
    const seen: Uint8Array[] = [];
    const sink: FrameSink = {
      request: () => {},
      reply: (_id, payload) => seen.push(payload),
      error: () => {},
    };
    const decoder = new FrameDecoder(MAX, sink, "test");
    const chunk = Buffer.concat([
      replyFrame(KIND_REPLY, 1, [1, 2, 3]),
      replyFrame(KIND_REPLY, 2, [4]),
    ]);
    decoder.push(chunk);
    expect(seen[0]?.buffer).toBe(chunk.buffer);
    const split = replyFrame(KIND_REPLY, 3, [5, 6, 7, 8]);
    decoder.push(split.subarray(0, 6));
    decoder.push(split.subarray(6));
    expect(seen[2]).toEqual(new Uint8Array([5, 6, 7, 8]));
    expect(seen[0]).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(seen[0])).toBe(false);
    expect(seen[2]?.buffer).not.toBe(split.buffer);
  });

  it("hands payloads of every kind as plain Uint8Array, never as Buffer", () => {
    const constructors: string[] = [];
    const record = (_id: number, ...rest: unknown[]) => {
      constructors.push((rest.at(-1) as object).constructor.name);
    };
    const decoder = new FrameDecoder(MAX, { request: record, reply: record, error: record }, "t");
    decoder.push(
      Buffer.concat([
        requestFrame(1, "A.B", [1]),
        replyFrame(KIND_REPLY, 2, [2]),
        replyFrame(KIND_ERROR, 3, [3]),
      ]),
    );
    expect(constructors).toEqual(["Uint8Array", "Uint8Array", "Uint8Array"]);
  });

  it("decodes a method name it has seen before to the same string", () => {
    const names: string[] = [];
    const decoder = new FrameDecoder(
      MAX,
      { request: (_id, method) => names.push(method), reply: () => {}, error: () => {} },
      "t",
    );
    decoder.push(
      Buffer.concat([requestFrame(1, "Raft.Vote", []), requestFrame(2, "Raft.Vota", [])]),
    );
    decoder.push(requestFrame(3, "Raft.Vote", [1]));
    expect(names).toEqual(["Raft.Vote", "Raft.Vota", "Raft.Vote"]);
  });

  it("rejects an oversized frame from its length prefix alone", () => {
    const { sink } = collector();
    const decoder = new FrameDecoder(2048, sink, "from 10.0.0.1:9");
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32BE(5000);
    const error = catching(() => decoder.push(prefix));
    expect(error).toBeInstanceOf(FrameTooLargeError);
    expect(error).toMatchObject({
      code: "LAB_RPC_FRAME_TOO_LARGE",
      frameBytes: 5004,
      maxFrameBytes: 2048,
    });
    expect((error as Error).message).toContain("from 10.0.0.1:9");
  });

  it("rejects an oversized frame whose prefix is split across chunks", () => {
    const { sink } = collector();
    const decoder = new FrameDecoder(2048, sink, "test");
    decoder.push(Buffer.from([0, 1]));
    expect(catching(() => decoder.push(Buffer.from([0, 0])))).toBeInstanceOf(FrameTooLargeError);
  });

  it.each([
    ["an unknown kind", Buffer.from([0, 0, 0, 5, 9, 0, 0, 0, 1]), "unknown frame kind 9"],
    [
      "a length shorter than the header",
      Buffer.from([0, 0, 0, 2, 1, 0]),
      "fewer than its 5-byte header",
    ],
    [
      "a request without a name length",
      Buffer.from([0, 0, 0, 6, 1, 0, 0, 0, 1, 0]),
      "no method name length",
    ],
    [
      "a request whose name runs past its end",
      Buffer.from([0, 0, 0, 9, 1, 0, 0, 0, 1, 0, 200, 65, 66]),
      "method name past its end",
    ],
  ])("rejects %s as corrupt", (_what, bytes, message) => {
    const { sink, seen } = collector();
    const error = catching(() => new FrameDecoder(MAX, sink, "test").push(bytes));
    expect(error).toBeInstanceOf(FrameCorruptError);
    expect((error as Error).message).toContain(message);
    expect(seen).toHaveLength(0);
  });

  it("reports a stream that ended inside a frame", () => {
    const { sink } = collector();
    const decoder = new FrameDecoder(MAX, sink, "from peer");
    decoder.push(requestFrame(1, "A.B", [1, 2, 3]).subarray(0, 7));
    const error = decoder.finish();
    expect(error).toBeInstanceOf(FrameCorruptError);
    expect(error?.message).toContain("ended inside a frame (7 bytes of 17 bytes received)");
    const early = new FrameDecoder(MAX, sink, "from peer");
    early.push(Buffer.from([0, 0]));
    expect(early.finish()?.message).toContain("2 bytes of a length prefix");
  });
});

describe("FrameWriter", () => {
  it("writes frames that the decoder reads back, small and large payloads alike", async () => {
    const pipe = new PassThrough();
    const writer = new FrameWriter(pipe as unknown as Socket);
    const big = Buffer.alloc(100_000, 7);
    writer.request(1, Buffer.from("Big.Call"), big);
    writer.reply(2, Buffer.from([1, 2]));
    writer.error(3, encodeRemoteError({ code: "X", message: "m" }));
    writer.endOfTick();
    pipe.end();
    const chunks: Buffer[] = [];
    for await (const chunk of pipe) chunks.push(chunk as Buffer);
    const { sink, seen } = collector();
    const decoder = new FrameDecoder(MAX, sink, "test");
    for (const chunk of chunks) decoder.push(chunk);
    expect(seen.map((s) => [s.kind, s.id, s.payload.length])).toEqual([
      ["request", 1, 100_000],
      ["reply", 2, 2],
      ["error", 3, JSON.stringify({ code: "X", message: "m" }).length],
    ]);
    expect(seen[0]?.payload.every((b) => b === 7)).toBe(true);
  });

  it("sends the small frames of one tick in a single write, at the end of the tick", async () => {
    const pipe = new PassThrough();
    const writes: number[] = [];
    const write = pipe.write.bind(pipe);
    pipe.write = ((chunk: Uint8Array, ...rest: never[]) => {
      writes.push(chunk.length);
      return write(chunk, ...rest);
    }) as typeof pipe.write;
    const writer = new FrameWriter(pipe as unknown as Socket);
    for (let id = 1; id <= 50; id++) writer.reply(id, Buffer.alloc(10, id));
    expect(writes).toEqual([]);
    await new Promise<void>((resolve) => process.nextTick(resolve));
    expect(writes).toEqual([50 * 19]);
    // Bytes already handed over never change when later frames are written.
    const first = pipe.read() as Buffer;
    const copy = Buffer.from(first);
    writer.reply(99, Buffer.alloc(10, 99));
    writer.endOfTick();
    expect(first.equals(copy)).toBe(true);
    expect(writes).toEqual([50 * 19, 19]);
  });

  it("drops frames written after the socket was destroyed", () => {
    const pipe = new PassThrough();
    pipe.destroy();
    expect(() =>
      new FrameWriter(pipe as unknown as Socket).reply(1, Buffer.from([1])),
    ).not.toThrow();
  });
});

describe("error frames", () => {
  it("carry an unknown method with the server's method list", () => {
    const info = describeDispatchError(new UnknownMethodError("A.Nope", ["A.Yes"]));
    const back = decodeRemoteError(encodeRemoteError(info), "test");
    const error = remoteErrorToError("A.Nope", back);
    expect(error).toBeInstanceOf(UnknownMethodError);
    expect(error).toMatchObject({ method: "A.Nope", known: ["A.Yes"] });
  });

  it("carry a handler's message, and keep BadRequestError distinct", () => {
    const handler = remoteErrorToError(
      "A.B",
      decodeRemoteError(
        encodeRemoteError(describeDispatchError(new HandlerError("A.B", "boom"))),
        "t",
      ),
    );
    expect(handler).toBeInstanceOf(HandlerError);
    expect(handler).not.toBeInstanceOf(BadRequestError);
    expect(handler).toMatchObject({ remoteMessage: "boom" });
    const bad = remoteErrorToError(
      "A.B",
      decodeRemoteError(
        encodeRemoteError(describeDispatchError(new BadRequestError("A.B", "junk"))),
        "t",
      ),
    );
    expect(bad).toBeInstanceOf(BadRequestError);
    expect(bad).toMatchObject({ remoteMessage: "junk" });
  });

  it("turn any other failure into a HandlerError naming its code", () => {
    const info = describeDispatchError(new TypeError("odd"));
    expect(info).toEqual({
      code: "LAB_RPC_HANDLER",
      message: "server rejected the request (ERROR): odd",
    });
    expect(remoteErrorToError("A.B", info)).toBeInstanceOf(HandlerError);
  });

  it.each([
    ["not json"],
    ["[1,2]"],
    ['{"code":1,"message":"m"}'],
    ['{"code":"c","message":"m","known":[3]}'],
  ])("reject a malformed payload %s as corrupt", (text) => {
    expect(catching(() => decodeRemoteError(Buffer.from(text), "from s"))).toBeInstanceOf(
      FrameCorruptError,
    );
  });
});

describe("addresses", () => {
  it("parse host:port, [v6]:port and objects, and format them back", () => {
    expect(parseAddress("127.0.0.1:80")).toEqual({ host: "127.0.0.1", port: 80 });
    expect(parseAddress("[::1]:65535")).toEqual({ host: "::1", port: 65535 });
    expect(parseAddress({ host: "example.org", port: 0 })).toEqual({
      host: "example.org",
      port: 0,
    });
    expect(formatAddress({ host: "::1", port: 5 })).toBe("[::1]:5");
    expect(formatAddress({ host: "a", port: 5 })).toBe("a:5");
  });

  it.each([["localhost"], ["::1:80"], ["a:70000"], ["a:-1"], [":80"]])("reject %s", (address) => {
    expect(() => parseAddress(address)).toThrow(/RpcUsageError|not|port/);
  });
});

function catching(body: () => void): unknown {
  try {
    body();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}
