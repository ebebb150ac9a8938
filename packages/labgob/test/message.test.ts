import { describe, expect, expectTypeOf, it } from "vitest";
import { field, type Infer, message, SchemaError, type Value } from "../src/index.js";
import { AppendEntriesArgs, Everything, Inner, LogEntry } from "./support/schemas.js";

const sample: AppendEntriesArgs = {
  term: 7,
  leaderId: -1,
  prevLogIndex: 41,
  prevLogTerm: 6,
  entries: [
    { term: 7, index: 42, command: new Uint8Array([1, 2, 3]) },
    { term: 7, index: 43, command: new Uint8Array(200).fill(9) },
  ],
  leaderCommit: 40,
};

describe("message", () => {
  it("round-trips an AppendEntries message as a plain object", () => {
    const back = AppendEntriesArgs.decode(AppendEntriesArgs.encode(sample));
    expect(back).toStrictEqual(sample);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual([
      "term",
      "leaderId",
      "prevLogIndex",
      "prevLogTerm",
      "entries",
      "leaderCommit",
    ]);
  });

  it("infers the TypeScript type from the fields", () => {
    type Args = Infer<typeof AppendEntriesArgs>;
    expectTypeOf<Args>().toEqualTypeOf<{
      term: number;
      leaderId: number;
      prevLogIndex: number;
      prevLogTerm: number;
      entries: { term: number; index: number; command: Uint8Array }[];
      leaderCommit: number;
    }>();
    const M = message("M", {
      a: field.optional(field.string(), 1),
      b: field.map(field.bigint(), 2),
      c: field.enum(["x", "y"], 3),
      d: field.value(4),
      e: field.repeated(field.double(), 5),
    });
    expectTypeOf<Infer<typeof M>>().toEqualTypeOf<{
      a?: string | undefined;
      b: Record<string, bigint>;
      c: "x" | "y";
      d: Value;
      e: number[];
    }>();
    expectTypeOf(M.decode).returns.toEqualTypeOf<Infer<typeof M>>();
  });

  it("decodes fields left off the wire as their defaults", () => {
    const empty = {
      term: 0,
      leaderId: 0,
      prevLogIndex: 0,
      prevLogTerm: 0,
      entries: [],
      leaderCommit: 0,
    };
    const bytes = AppendEntriesArgs.encode(empty);
    // proto3 writes no default: only the length prefix 0 remains.
    expect([...bytes]).toEqual([0]);
    expect(AppendEntriesArgs.decode(bytes)).toStrictEqual(empty);
    expect(AppendEntriesArgs.defaults()).toStrictEqual(empty);
  });

  it("gives every non-optional field of every kind a default", () => {
    const d = Everything.defaults();
    expect(d).toStrictEqual({
      int: 0,
      uint: 0,
      double: 0,
      bool: false,
      string: "",
      bytes: new Uint8Array(0),
      bigint: 0n,
      role: "follower",
      inner: { n: 0, tags: [] },
      value: null,
      ints: [],
      uints: [],
      doubles: [],
      bools: [],
      strings: [],
      blobs: [],
      bigints: [],
      roles: [],
      inners: [],
      values: [],
      counts: {},
      named: {},
      extras: {},
      far: "",
    });
    expect(Everything.decode(Everything.encode(d))).toStrictEqual(d);
    // Each call builds fresh objects.
    expect(Everything.defaults().ints).not.toBe(d.ints);
  });

  it("keeps optional fields absent, and a present default present", () => {
    const absent = Everything.defaults();
    const back = Everything.decode(Everything.encode(absent));
    expect("maybeInt" in back).toBe(false);
    expect("maybeInner" in back).toBe(false);
    const present = { ...absent, maybeInt: 0, maybeString: "", maybeBytes: new Uint8Array(0) };
    const back2 = Everything.decode(Everything.encode(present));
    expect(back2.maybeInt).toBe(0);
    expect(back2.maybeString).toBe("");
    expect(back2.maybeBytes).toEqual(new Uint8Array(0));
    expect("maybeValue" in back2).toBe(false);
    // `undefined` is the same as absent (for callers without exactOptionalPropertyTypes).
    const undef = { ...absent, maybeInt: undefined };
    expect("maybeInt" in Everything.decode(Everything.encode(undef))).toBe(false);
  });

  it("round-trips every kind at its edges", () => {
    const x: Everything = {
      ...Everything.defaults(),
      int: Number.MIN_SAFE_INTEGER,
      uint: Number.MAX_SAFE_INTEGER,
      double: -0,
      bool: true,
      string: "héllo wörld 🦀 \u0000 \uFEFF",
      bytes: new Uint8Array([0, 255, 128]),
      bigint: -(2n ** 63n),
      role: "leader",
      inner: { n: -(2 ** 31), tags: ["", "x"] },
      value: { nested: [1, 2n, null, new Uint8Array([1])] },
      ints: [0, -1, 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER],
      uints: [0, 2 ** 32, 2 ** 32 - 1, 127, 128],
      doubles: [Number.NaN, Number.NEGATIVE_INFINITY, -0, 0, 5e-324],
      bools: [true, false, false],
      strings: ["", "a"],
      blobs: [new Uint8Array(0), new Uint8Array(300).fill(1)],
      bigints: [2n ** 63n - 1n, 0n, -1n],
      roles: ["b", "a"],
      inners: [{ n: 1, tags: [] }, Inner.defaults()],
      values: [null, "s", -0],
      maybeInt: -5,
      maybeInner: { n: 0, tags: [] },
      maybeValue: null,
      counts: { b: 2, a: 0, "1": 3 },
      named: { "": { n: 1, tags: ["t"] } },
      extras: { x: [] },
      far: "far away",
    };
    expect(Everything.decode(Everything.encode(x))).toStrictEqual(x);
  });

  it("accepts objects with a null prototype and decodes them as plain objects", () => {
    const entry = Object.assign(Object.create(null) as object, {
      term: 1,
      index: 2,
      command: new Uint8Array([3]),
    });
    const back = LogEntry.decode(LogEntry.encode(entry as Infer<typeof LogEntry>));
    expect(back).toStrictEqual({ term: 1, index: 2, command: new Uint8Array([3]) });
  });

  it("accepts a Buffer for bytes and decodes a plain Uint8Array copy", () => {
    const back = LogEntry.decode(
      LogEntry.encode({ term: 1, index: 1, command: Buffer.from("hi") }),
    );
    expect(back.command.constructor).toBe(Uint8Array);
    expect([...back.command]).toEqual([104, 105]);
    // A Buffer as input to decode is fine too, and still yields copies.
    const input = Buffer.from(LogEntry.encode({ term: 1, index: 1, command: Buffer.from("hi") }));
    const fromBuffer = LogEntry.decode(input);
    input.fill(0);
    expect([...fromBuffer.command]).toEqual([104, 105]);
  });

  it("returns encodings that own their memory", () => {
    const a = LogEntry.encode({ term: 1, index: 1, command: new Uint8Array([1]) });
    const b = LogEntry.encode({ term: 2, index: 2, command: new Uint8Array([2]) });
    expect(a.constructor).toBe(Uint8Array);
    expect(a.byteOffset).toBe(0);
    expect(a.buffer.byteLength).toBe(a.length);
    expect(a.buffer).not.toBe(b.buffer);
  });

  it("exposes its name and fields", () => {
    expect(AppendEntriesArgs.name).toBe("AppendEntriesArgs");
    expect(Object.keys(AppendEntriesArgs.fields)).toHaveLength(6);
    expect(AppendEntriesArgs.fields.entries?.cardinality).toBe("repeated");
    expect(AppendEntriesArgs.fields.entries?.id).toBe(5);
  });
});

describe("schema errors", () => {
  const bad: [string, () => unknown, RegExp][] = [
    ["duplicate numbers", () => message("M", { a: field.int(1), b: field.int(1) }), /used twice/],
    ["number 0", () => message("M", { a: field.int(0) }), /has number 0/],
    ["reserved numbers", () => message("M", { a: field.int(19000) }), /19000 to 19999/],
    ["too large numbers", () => message("M", { a: field.int(2 ** 29) }), /allows 1 to/],
    ["fractional numbers", () => message("M", { a: field.int(1.5) }), /has number 1.5/],
    ["a kind without number", () => message("M", { a: field.int() as never }), /give it a number/],
    ["__proto__", () => message("M", JSON.parse('{"__proto__": 1}')), /is not a field/],
    ["Object.prototype names", () => message("M", { toString: field.int(1) }), /Object.prototype/],
    ["non-identifier names", () => message("M", { "a-b": field.int(1) }), /identifier/],
    ["message names", () => message("a b", { a: field.int(1) }), /identifier/],
    ["repeated of a field", () => field.repeated(field.int(1), 2), /without a field number/],
    ["repeated of repeated", () => field.repeated(field.repeated(field.int(), 1), 2), /without/],
    ["map of optional", () => field.map(field.optional(field.int(), 1), 2), /without/],
    ["foreign kinds", () => field.optional({ kind: "x" }, 1), /made by field/],
    ["empty enums", () => field.enum([] as unknown as ["a"], 1), /non-empty/],
    ["duplicate enum members", () => field.enum(["a", "a"], 1), /duplicate/],
    ["foreign message codecs", () => field.message({ name: "x" } as never, 1), /made by message/],
  ];
  for (const [what, f, reason] of bad) {
    it(`rejects ${what}`, () => {
      expect(f).toThrow(SchemaError);
      expect(f).toThrow(reason);
    });
  }
});
