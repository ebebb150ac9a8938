import { describe, expect, it } from "vitest";
import { field, MAX_VALUE_DEPTH, message, type Value, valueCodec } from "../src/index.js";
import { expectCodecError } from "./support/expect-codec-error.js";

const roundTrip = (v: Value): Value => valueCodec.decode(valueCodec.encode(v));

describe("valueCodec round-trips", () => {
  it("JSON-like values, bytes and bigints", () => {
    const v: Value = {
      op: "Put",
      key: "k",
      n: 42,
      ok: true,
      none: null,
      list: [1, "two", [3], { four: 4 }],
      blob: new Uint8Array([0, 1, 255]),
      big: 12345678901234567890123456789n,
    };
    expect(roundTrip(v)).toStrictEqual(v);
  });

  it("every number exactly: -0, NaN, infinities, huge and tiny", () => {
    const numbers = [
      0,
      -0,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.MAX_SAFE_INTEGER,
      Number.MIN_SAFE_INTEGER,
      2 ** 53,
      -(2 ** 64),
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      0.1,
      -1.5,
    ];
    for (const n of numbers) expect(Object.is(roundTrip(n), n)).toBe(true);
    // Small integers take a varint, not eight bytes.
    expect(valueCodec.encode(1)).toHaveLength(2);
    expect(valueCodec.encode(0.5)).toHaveLength(9);
  });

  it("bigints of any size and sign", () => {
    for (const b of [0n, 1n, -1n, 255n, 256n, -(2n ** 64n), 2n ** 1000n + 7n, -(10n ** 300n)]) {
      expect(roundTrip(b)).toBe(b);
    }
  });

  it("keeps object key order, including integer-like keys", () => {
    const v = { z: 1, a: 2, "10": 3, "2": 4, m: 5 };
    const back = roundTrip(v) as Record<string, Value>;
    expect(Object.keys(back)).toEqual(Object.keys(v));
    expect(Object.keys(back)).toEqual(["2", "10", "z", "a", "m"]);
  });

  it("decodes a __proto__ key as an own property, without touching prototypes", () => {
    const v = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Value;
    const back = roundTrip(v) as Record<string, Value>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.hasOwn(back, "__proto__")).toBe(true);
    expect(Object.keys(back)).toEqual(["__proto__", "a"]);
    expect(Object.getOwnPropertyDescriptor(back, "__proto__")?.value).toStrictEqual({
      polluted: true,
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((back as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("accepts null-prototype objects and decodes plain ones", () => {
    const v = Object.assign(Object.create(null) as Record<string, Value>, { a: 1 });
    const back = roundTrip(v);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(back).toEqual({ a: 1 });
  });

  it("strings with any code point, and empty containers", () => {
    for (const v of ["", "\u0000", "🦀", "\uFEFFbom", "é".repeat(1000), [], {}, [[]], { "": {} }]) {
      expect(roundTrip(v)).toStrictEqual(v);
    }
  });

  it("sits inside messages as a field kind", () => {
    const Command = message("Command", { id: field.uint(1), body: field.value(2) });
    const c = { id: 1, body: { kind: "append", args: [1n, new Uint8Array([2])] } };
    expect(Command.decode(Command.encode(c))).toStrictEqual(c);
  });
});

/** `[1, <hole>, 3]`. */
function holey(): unknown[] {
  const a: unknown[] = new Array(3);
  a[0] = 1;
  a[2] = 3;
  return a;
}

describe("valueCodec rejects what it cannot represent, naming the path", () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = { back: cyclic };
  const cyclicList: unknown[] = [1];
  cyclicList.push([cyclicList]);
  class Point {
    x = 1;
  }
  const cases: [string, unknown, string, RegExp][] = [
    ["undefined", { a: undefined }, "$.a", /expected a Value, got undefined/],
    ["a function", { f: () => 0 }, "$.f", /got a function/],
    ["a symbol", [Symbol("s")], "$[0]", /got a symbol/],
    ["a Date", { when: new Date(0) }, "$.when", /instance of Date/],
    ["a Map", new Map(), "$", /instance of Map/],
    ["a Set", { s: new Set() }, "$.s", /instance of Set/],
    ["a class instance", { p: new Point() }, "$.p", /instance of Point/],
    ["a boxed string", [new String("s")], "$[0]", /instance of String/],
    ["an Int32Array", { t: new Int32Array(1) }, "$.t", /instance of Int32Array/],
    ["an Array subclass", { l: new (class L extends Array {})() }, "$.l", /Array subclass/],
    ["a hole in an array", holey(), "$[1]", /got undefined/],
    ["a lone surrogate", { s: "\uDC00" }, "$.s", /lone UTF-16 surrogate/],
    ["a lone surrogate key", { "\uD800": 1 }, '$["\\ud800"]', /lone/],
    ["a cycle through objects", cyclic, "$.self.back", /cyclic value/],
    ["a cycle through arrays", cyclicList, "$[1][0]", /cyclic/],
    [
      "a deep error",
      { entries: [0, 1, 2, { command: { x: () => 0 } }] },
      "$.entries[3].command.x",
      /function/,
    ],
  ];
  for (const [what, v, path, reason] of cases) {
    it(`${what} → ${path}`, () => {
      const e = expectCodecError(() => valueCodec.encode(v as Value), path, reason);
      expect(e.codec).toBe("Value");
    });
  }

  it("nesting deeper than MAX_VALUE_DEPTH", () => {
    let ok: Value = 0;
    for (let i = 0; i < MAX_VALUE_DEPTH; i++) ok = [ok];
    expect(roundTrip(ok)).toStrictEqual(ok);
    expectCodecError(
      () => valueCodec.encode([ok]),
      `$${"[0]".repeat(MAX_VALUE_DEPTH)}`,
      /deeper than 100/,
    );
  });

  it("ignores symbol-keyed properties, which are metadata (as for JSON.stringify)", () => {
    expect(roundTrip({ a: 1, [Symbol("k")]: 2 } as Value)).toStrictEqual({ a: 1 });
  });

  it("a shared (acyclic) object is fine", () => {
    const shared = { x: 1 };
    expect(roundTrip({ a: shared, b: [shared, shared] })).toStrictEqual({
      a: { x: 1 },
      b: [{ x: 1 }, { x: 1 }],
    });
  });
});

describe("valueCodec decode strictness", () => {
  const cases: [string, number[], string, RegExp][] = [
    ["an unknown kind", [0x50, 0], "$", /no field with tag 80/],
    ["null other than 0", [0x08, 1], "$", /null must be encoded as 0/],
    [
      "an int written as a double",
      [0x21, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f],
      "$",
      /safe integer written as a double/,
    ],
    ["a bigint without sign", [0x3a, 0], "$", /sign byte/],
    ["a bigint with a bad sign", [0x3a, 1, 2], "$", /sign byte/],
    ["a bigint -0", [0x3a, 1, 1], "$", /-0/],
    ["a bigint with a leading zero", [0x3a, 2, 0, 0], "$", /leading zero/],
    ["an empty item", [0x42, 2, 0x0a, 0], "$[0]", /empty Value/],
    ["an item with a wrong tag", [0x42, 2, 0x08, 0], "$[0]", /list item must be field 1/],
    ["two kinds in one item", [0x42, 6, 0x0a, 4, 0x08, 0, 0x10, 1], "$[0]", /more than one kind/],
    [
      "an entry with an explicit empty key",
      [0x4a, 8, 0x0a, 6, 0x0a, 0, 0x12, 2, 0x08, 0],
      "$",
      /empty key written explicitly/,
    ],
    ["an entry with a wrong field", [0x4a, 4, 0x0a, 2, 0x18, 0], '$[""]', /must hold its key/],
    ["an entry without value", [0x4a, 5, 0x0a, 3, 0x0a, 1, 0x61], "$.a", /truncated/],
    [
      "an entry with extra fields",
      [0x4a, 11, 0x0a, 9, 0x0a, 1, 0x61, 0x12, 2, 0x08, 0, 0x18, 1],
      "$.a",
      /extra fields/,
    ],
    [
      "a duplicate key",
      [0x4a, 12, ...[0x0a, 4, 0x12, 2, 0x08, 0], ...[0x0a, 4, 0x12, 2, 0x08, 0]],
      '$[""]',
      /duplicate key ""/,
    ],
    [
      "keys out of order",
      [
        0x4a,
        18,
        ...[0x0a, 7, 0x0a, 1, 0x62, 0x12, 2, 0x08, 0],
        ...[0x0a, 7, 0x0a, 1, 0x31, 0x12, 2, 0x08, 0],
      ],
      '$["1"]',
      /out of order/,
    ],
  ];
  for (const [what, bytes, path, reason] of cases) {
    it(`rejects ${what}`, () => {
      expectCodecError(() => valueCodec.decode(Uint8Array.from(bytes)), path, reason);
    });
  }
});
