import { describe, expect, it } from "vitest";
import {
  CodecError,
  codecs,
  field,
  type Infer,
  isLabError,
  LabError,
  message,
  valueCodec,
} from "../src/index.js";
import { expectCodecError } from "./support/expect-codec-error.js";
import { AppendEntriesArgs, Everything } from "./support/schemas.js";

const entry = { term: 1, index: 1, command: new Uint8Array([1]) };
const args: AppendEntriesArgs = {
  term: 3,
  leaderId: 0,
  prevLogIndex: 0,
  prevLogTerm: 0,
  entries: [entry, entry, entry, entry],
  leaderCommit: 0,
};

/** Encodes `value` (deliberately mistyped) with AppendEntriesArgs. */
function encodeArgs(value: unknown): Uint8Array {
  return AppendEntriesArgs.encode(value as AppendEntriesArgs);
}

/** `[1, <hole>, 3]`. */
function holey(): unknown[] {
  const a: unknown[] = new Array(3);
  a[0] = 1;
  a[2] = 3;
  return a;
}

function encodeEverything(patch: Record<string, unknown>): Uint8Array {
  return Everything.encode({ ...Everything.defaults(), ...patch } as Infer<typeof Everything>);
}

describe("encode rejects what the schema would drop (labgob's TestCapital)", () => {
  it("an extra top-level key", () => {
    expectCodecError(
      () => encodeArgs({ ...args, Extra: 1 }),
      "$.Extra",
      /has no field "Extra".*dropped/,
    );
  });

  it("an extra key deep inside", () => {
    const entries = [entry, entry, entry, { ...entry, leaderId: 2 }];
    expectCodecError(() => encodeArgs({ ...args, entries }), "$.entries[3].leaderId", /no field/);
  });

  it("an extra key whose value is undefined", () => {
    expectCodecError(() => encodeArgs({ ...args, note: undefined }), "$.note", /no field/);
  });

  it("but not a symbol-keyed property, which is metadata (as for JSON.stringify)", () => {
    const tagged = { ...args, [Symbol("s")]: 1 };
    expect(AppendEntriesArgs.decode(encodeArgs(tagged))).toStrictEqual(args);
  });

  it("an extra key that is not an identifier", () => {
    expectCodecError(() => encodeArgs({ ...args, "a b": 1 }), '$["a b"]', /no field/);
  });
});

describe("encode rejects wrong types, naming the path and expected vs actual", () => {
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ["a missing field", { int: undefined }, "$.int", /missing field \(expected int\)/],
    ["a string for an int", { int: "1" }, "$.int", /expected int.*got "1"/],
    ["a fraction for an int", { int: 1.5 }, "$.int", /expected int.*got 1\.5/],
    ["NaN for an int", { int: Number.NaN }, "$.int", /got NaN/],
    ["Infinity for an int", { int: Number.POSITIVE_INFINITY }, "$.int", /got Infinity/],
    ["an unsafe integer", { int: 2 ** 53 }, "$.int", /expected int \(a safe integer\)/],
    ["a bigint for an int", { int: 1n }, "$.int", /got 1n/],
    ["a negative uint", { uint: -1 }, "$.uint", /expected uint.*got -1/],
    ["a string for a double", { double: "0" }, "$.double", /expected double/],
    ["a number for a bool", { bool: 1 }, "$.bool", /expected bool, got 1/],
    ["null for a string", { string: null }, "$.string", /expected string, got null/],
    ["a lone surrogate", { string: "a\uD800b" }, "$.string", /lone UTF-16 surrogate/],
    ["an array for bytes", { bytes: [1] }, "$.bytes", /expected bytes.*array of length 1/],
    ["an Int8Array for bytes", { bytes: new Int8Array(1) }, "$.bytes", /instance of Int8Array/],
    ["a number for a bigint", { bigint: 1 }, "$.bigint", /expected bigint/],
    ["a bigint beyond int64", { bigint: 2n ** 63n }, "$.bigint", /int64 range/],
    ["a non-member for an enum", { role: "king" }, "$.role", /one of "follower" \| "candidate"/],
    ["a number for a message", { inner: 3 }, "$.inner", /expected message Inner.*got 3/],
    ["a class instance as message", { inner: new Date(0) }, "$.inner", /instance of Date/],
    [
      "a wrong type in a nested message",
      { inner: { n: 1, tags: [1] } },
      "$.inner.tags[0]",
      /expected string, got 1/,
    ],
    ["a non-array for repeated", { ints: 1 }, "$.ints", /expected an array of int, got 1/],
    ["a hole in a repeated field", { ints: holey() }, "$.ints[1]", /got undefined/],
    ["a bad packed element", { doubles: [1, "2"] }, "$.doubles[1]", /expected double/],
    [
      "a bad message element",
      {
        inners: [
          { n: 1, tags: [] },
          { n: "x", tags: [] },
        ],
      },
      "$.inners[1].n",
      /expected int/,
    ],
    ["an array for a map", { counts: [] }, "$.counts", /expected a map of uint.*array/],
    ["a Map for a map", { counts: new Map() }, "$.counts", /instance of Map/],
    ["a bad map value", { counts: { ok: 1, "not ok": -1 } }, '$.counts["not ok"]', /expected uint/],
    ["undefined as map value", { counts: { a: undefined } }, "$.counts.a", /got undefined/],
    ["a bad optional", { maybeInt: "1" }, "$.maybeInt", /expected int/],
    [
      "a function in a value field",
      { value: { f: () => 1 } },
      "$.value.f",
      /expected a Value, got a function/,
    ],
    ["a far field", { far: 1 }, "$.far", /expected string/],
  ];
  for (const [what, patch, path, reason] of cases) {
    it(`${what} → ${path}`, () => {
      expectCodecError(() => encodeEverything(patch), path, reason);
    });
  }

  it("a non-object as the whole message", () => {
    expectCodecError(() => encodeArgs(null), "$", /expected message AppendEntriesArgs.*got null/);
    expectCodecError(() => encodeArgs([]), "$", /got an array/);
  });

  it("reports the codec, operation and path in the error", () => {
    const e = expectCodecError(
      () => encodeArgs({ ...args, entries: [entry, { ...entry, term: -1 }] }),
      "$.entries[1].term",
      /expected uint/,
    );
    expect(e.codec).toBe("AppendEntriesArgs");
    expect(e.operation).toBe("encode");
    expect(e.message).toBe(
      "AppendEntriesArgs.encode: $.entries[1].term: expected uint (a non-negative safe integer), got -1",
    );
    expect(e.code).toBe("LAB_CODEC");
    expect(CodecError.code).toBe("LAB_CODEC");
    expect(e).toBeInstanceOf(LabError);
    expect(isLabError(e, CodecError)).toBe(true);
  });

  it("accepts -0 in an int field and decodes it as 0", () => {
    const back = Everything.decode(encodeEverything({ int: -0, uint: -0 }));
    expect(Object.is(back.int, 0)).toBe(true);
    expect(Object.is(back.uint, 0)).toBe(true);
  });

  it("rethrows a caller's own exception from a getter unchanged", () => {
    const boom = new Error("boom");
    const value = {
      ...args,
      get term(): number {
        throw boom;
      },
    };
    expect(() => encodeArgs(value)).toThrow(boom);
    // The shared writer is released: the next encode works.
    expect(AppendEntriesArgs.decode(encodeArgs(args))).toStrictEqual(args);
  });

  it("encodes a message inside a getter of another (re-entrancy)", () => {
    const Outer = message("Outer", { blob: field.bytes(1) });
    const value = {
      get blob(): Uint8Array {
        return encodeArgs(args);
      },
    };
    const back = Outer.decode(Outer.encode(value));
    expect(AppendEntriesArgs.decode(back.blob)).toStrictEqual(args);
  });
});

describe("primitive codecs are as strict", () => {
  it("rejects values of the wrong kind at the root path", () => {
    expectCodecError(() => codecs.uint.encode(-1), "$", /expected uint/);
    expectCodecError(() => codecs.int.encode(0.5), "$", /expected int/);
    expectCodecError(() => codecs.string.encode(1 as never), "$", /expected string/);
    expectCodecError(() => codecs.bytes.encode("x" as never), "$", /expected bytes/);
    expectCodecError(() => codecs.bool.encode(0 as never), "$", /expected bool/);
    expectCodecError(() => codecs.bigint.encode(2n ** 64n), "$", /int64/);
    expectCodecError(() => codecs.double.encode(1n as never), "$", /expected double/);
    expectCodecError(() => codecs.void.encode(0 as never), "$", /expected no value/);
    expectCodecError(() => valueCodec.encode(undefined as never), "$", /got undefined/);
  });
});
