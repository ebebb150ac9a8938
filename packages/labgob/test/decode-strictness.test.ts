import { describe, expect, it } from "vitest";
import { codecs, field, MAX_VALUE_DEPTH, message, valueCodec } from "../src/index.js";
import { expectCodecError } from "./support/expect-codec-error.js";
import { AppendEntriesArgs, Everything, LogEntry } from "./support/schemas.js";
import { ld, raw, tag, top, varint } from "./support/wire.js";

const Small = message("Small", {
  a: field.uint(1),
  s: field.string(2),
  d: field.double(3),
  b: field.bool(4),
  xs: field.repeated(field.int(), 5),
  m: field.map(field.uint(), 6),
  e: field.enum(["x", "y"], 7),
  inner: field.optional(field.message(LogEntry), 8),
});
const Holder = message("Holder", { entry: field.message(LogEntry, 1), n: field.uint(2) });

const args: AppendEntriesArgs = {
  term: 3,
  leaderId: -2,
  prevLogIndex: 10,
  prevLogTerm: 2,
  entries: [
    { term: 3, index: 11, command: new Uint8Array([1, 2]) },
    { term: 3, index: 12, command: new Uint8Array(130).fill(5) },
  ],
  leaderCommit: 9,
};

describe("decode rejects incomplete input and never returns a partial object", () => {
  it("empty input", () => {
    expectCodecError(() => AppendEntriesArgs.decode(new Uint8Array(0)), "$", /truncated/);
    expectCodecError(() => valueCodec.decode(new Uint8Array(0)), "$", /empty Value/);
    expectCodecError(() => codecs.int.decode(new Uint8Array(0)), "$", /truncated/);
  });

  it("every truncation of a valid encoding", () => {
    const bytes = AppendEntriesArgs.encode(args);
    for (let n = 0; n < bytes.length; n++) {
      expectCodecError(
        () => AppendEntriesArgs.decode(bytes.subarray(0, n)),
        "$",
        /truncated|length prefix/,
      );
    }
  });

  it("trailing bytes after a complete encoding", () => {
    const bytes = AppendEntriesArgs.encode(args);
    const longer = Uint8Array.from([...bytes, 0]);
    expectCodecError(() => AppendEntriesArgs.decode(longer), "$", /trailing bytes/);
    expectCodecError(() => codecs.uint.decode(Uint8Array.from([8, 1, 0])), "$", /trailing/);
    expectCodecError(() => valueCodec.decode(Uint8Array.from([8, 0, 8, 0])), "$", /more than one/);
    expectCodecError(() => codecs.void.decode(Uint8Array.from([0])), "$", /expected no bytes/);
  });

  it("a length larger than what is left", () => {
    const bytes = top(tag(3, 2), varint(100), [1, 2, 3]);
    expectCodecError(() => LogEntry.decode(bytes), "$.command", /needs 100 more byte\(s\).*3 left/);
    // A nested length cannot reach past its enclosing message either.
    const nested = top(tag(1, 2), ld([...tag(3, 2), ...varint(5), 1]), tag(2, 0), [1, 2, 3, 4]);
    expectCodecError(() => Holder.decode(nested), "$.entry.command", /truncated/);
  });

  it("a huge length prefix", () => {
    const bytes = top(tag(3, 2), [0xff, 0xff, 0xff, 0xff, 0x0f]);
    expectCodecError(() => LogEntry.decode(bytes), "$.command", /truncated/);
  });

  it("input that is not a Uint8Array", () => {
    expectCodecError(() => LogEntry.decode([0] as never), "$", /expected a Uint8Array/);
  });
});

describe("decode rejects what the schema does not describe", () => {
  it("an unknown field number (peers must share the schema)", () => {
    expectCodecError(() => Small.decode(top(tag(99, 0), [1])), "$", /no field number 99/);
    const nested = top(tag(5, 2), ld([...tag(4, 0), 1]));
    expectCodecError(
      () => AppendEntriesArgs.decode(nested),
      "$.entries[0]",
      /LogEntry has no field number 4/,
    );
  });

  it("a known field with the wrong wire type", () => {
    expectCodecError(() => Small.decode(top(tag(1, 2), ld([1]))), "$.a", /wire type 2 where 0/);
    expectCodecError(() => Small.decode(top(tag(3, 0), [1])), "$.d", /wire type 0 where 1/);
    // Repeated scalars are packed: one unpacked element has the wrong wire type.
    expectCodecError(() => Small.decode(top(tag(5, 0), [2])), "$.xs", /wire type 0 where 2/);
    expectCodecError(() => Small.decode(top(tag(1, 3))), "$.a", /wire type 3/);
  });

  it("invalid UTF-8 in a string field", () => {
    for (const bad of [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0x61, 0x80]]) {
      expectCodecError(() => Small.decode(top(tag(2, 2), ld(bad))), "$.s", /not valid UTF-8/);
    }
    const long = [...new Array(40).fill(0x61), 0xff];
    expectCodecError(() => Small.decode(top(tag(2, 2), ld(long))), "$.s", /not valid UTF-8/);
  });

  it("keeps a leading byte order mark", () => {
    const back = Small.decode(Small.encode({ ...Small.defaults(), s: "\uFEFFx" }));
    expect(back.s).toBe("\uFEFFx");
  });

  it("an enum index out of range", () => {
    expectCodecError(
      () => Small.decode(top(tag(7, 0), [2])),
      "$.e",
      /enum index 2 is out of range/,
    );
  });

  it("integers outside the field's range", () => {
    const big = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10]; // 2^53
    expectCodecError(() => Small.decode(top(tag(1, 0), big)), "$.a", /MAX_SAFE_INTEGER/);
    const tooLong = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02];
    expectCodecError(() => Small.decode(top(tag(1, 0), tooLong)), "$.a", /does not fit in 64 bits/);
    const eleven = [...new Array(10).fill(0xff), 0x01];
    expectCodecError(() => Small.decode(top(tag(1, 0), eleven)), "$.a", /64 bits/);
    // zigzag 2^54 - 1 is -(2^53): not safe.
    const unsafe = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1f];
    expectCodecError(
      () => Small.decode(top(tag(5, 2), ld(unsafe))),
      "$.xs[0]",
      /safe integer range/,
    );
  });

  it("a missing message field, which is always written", () => {
    expectCodecError(() => Holder.decode(top(tag(2, 0), [1])), "$.entry", /missing field/);
  });

  it("nesting deeper than the limit", () => {
    // A list holding a list holding ... a null: MAX_VALUE_DEPTH + 1 lists.
    let body: number[] = [...tag(1, 0), 0];
    for (let i = 0; i <= MAX_VALUE_DEPTH; i++)
      body = [...tag(8, 2), ...ld([...tag(1, 2), ...ld(body)])];
    const path = `$${"[0]".repeat(MAX_VALUE_DEPTH)}`;
    const error = expectCodecError(
      () => valueCodec.decode(Uint8Array.from(body)),
      path,
      /nested deeper than 100/,
    );
    expect(error.operation).toBe("decode");
    // One level less is fine, and is what the encoder produces for such a value.
    const ok = Uint8Array.from(body.slice(body.indexOf(0x42, 2)));
    let deepest: unknown = valueCodec.decode(ok);
    for (let i = 0; i < MAX_VALUE_DEPTH; i++) deepest = (deepest as unknown[])[0];
    expect(deepest).toBeNull();
    let value: unknown = null;
    for (let i = 0; i < MAX_VALUE_DEPTH; i++) value = [value];
    expect(valueCodec.encode(value as never)).toEqual(ok);
  });

  it("a deeply nested hostile input without overflowing the stack", () => {
    // 100 000 nested list openings, each claiming the rest of the input.
    const depth = 100_000;
    const chunks: number[][] = [];
    let length = 0;
    for (let i = 0; i < depth; i++) {
      const prefix = [...tag(1, 2), ...varint(length)];
      const list = [...tag(8, 2), ...varint(length + prefix.length)];
      chunks.push([...list, ...prefix]);
      length += prefix.length + list.length;
    }
    const bytes = Uint8Array.from(chunks.reverse().flat());
    expectCodecError(
      () => valueCodec.decode(bytes),
      `$${"[0]".repeat(MAX_VALUE_DEPTH)}`,
      /nested deeper/,
    );
  });
});

describe("decode accepts only the canonical encoding", () => {
  const cases: [string, Uint8Array, string, RegExp][] = [
    ["an over-long varint", top(tag(1, 0), [0x81, 0x00]), "$.a", /redundant trailing bytes/],
    ["an over-long tag", top([0x88, 0x00], [1]), "$", /redundant/],
    ["an over-long length prefix", raw([0x81, 0x00], [8, 1]), "$", /redundant/],
    ["an explicit default", top(tag(1, 0), [0]), "$.a", /default value written explicitly/],
    ["an explicit empty string", top(tag(2, 2), [0]), "$.s", /default value/],
    ["an explicit +0 double", top(tag(3, 1), [0, 0, 0, 0, 0, 0, 0, 0]), "$.d", /default/],
    ["a non-canonical NaN", top(tag(3, 1), [1, 0, 0, 0, 0, 0, 0xf8, 0x7f]), "$.d", /canonical NaN/],
    ["a bool of 2", top(tag(4, 0), [2]), "$.b", /0 or 1, got 2/],
    ["fields out of order", top(tag(2, 2), ld([0x61]), tag(1, 0), [1]), "$.a", /after field 2/],
    ["a field twice", top(tag(1, 0), [1], tag(1, 0), [2]), "$.a", /appears twice/],
    ["an empty packed field", top(tag(5, 2), [0]), "$.xs", /empty packed/],
    ["a split packed field", top(tag(5, 2), ld([2]), tag(5, 2), ld([4])), "$.xs", /appears twice/],
    ["a packed element cut by its length", top(tag(5, 2), ld([0x80])), "$.xs[0]", /truncated/],
    [
      "a map entry without its key",
      top(tag(6, 2), ld([...tag(2, 0), 1])),
      "$.m",
      /must start with its key/,
    ],
    [
      "a map entry without its value",
      top(tag(6, 2), ld([...tag(1, 2), ...ld([0x61])])),
      "$.m.a",
      /truncated/,
    ],
    [
      "a map entry with extra fields",
      top(tag(6, 2), ld([...tag(1, 2), ...ld([0x61]), ...tag(2, 0), 1, ...tag(3, 0), 1])),
      "$.m.a",
      /extra fields/,
    ],
    [
      "a duplicate map key",
      top(
        tag(6, 2),
        ld([...tag(1, 2), ...ld([0x61]), ...tag(2, 0), 1]),
        tag(6, 2),
        ld([...tag(1, 2), ...ld([0x61]), ...tag(2, 0), 2]),
      ),
      "$.m.a",
      /duplicate key "a"/,
    ],
    [
      "integer-like map keys out of order",
      top(
        tag(6, 2),
        ld([...tag(1, 2), ...ld([0x32]), ...tag(2, 0), 1]),
        tag(6, 2),
        ld([...tag(1, 2), ...ld([0x31]), ...tag(2, 0), 2]),
      ),
      '$.m["1"]',
      /out of order/,
    ],
    [
      "an integer-like map key after a named one",
      top(
        tag(6, 2),
        ld([...tag(1, 2), ...ld([0x61]), ...tag(2, 0), 1]),
        tag(6, 2),
        ld([...tag(1, 2), ...ld([0x31]), ...tag(2, 0), 2]),
      ),
      '$.m["1"]',
      /out of order/,
    ],
  ];
  for (const [what, bytes, path, reason] of cases) {
    it(`rejects ${what}`, () => {
      expectCodecError(() => Small.decode(bytes), path, reason);
    });
  }
});

describe("decoded objects are fresh (labgob's TestDefault)", () => {
  it("bytes fields are copies, not views of the input", () => {
    const bytes = AppendEntriesArgs.encode(args);
    const decoded = AppendEntriesArgs.decode(bytes);
    bytes.fill(0xee);
    expect(decoded).toStrictEqual(args);
    for (const e of decoded.entries) {
      expect(e.command.buffer).not.toBe(bytes.buffer);
      expect(e.command.byteOffset).toBe(0);
      expect(e.command.buffer.byteLength).toBe(e.command.length);
    }
  });

  it("two decodes share nothing, and nothing aliases the encoded value", () => {
    const bytes = Everything.encode(Everything.defaults());
    const a = Everything.decode(bytes);
    const b = Everything.decode(bytes);
    expect(a).toStrictEqual(b);
    expect(a).not.toBe(b);
    expect(a.ints).not.toBe(b.ints);
    expect(a.bytes).not.toBe(b.bytes);
    expect(a.inner).not.toBe(b.inner);
    expect(a.counts).not.toBe(b.counts);
    a.ints.push(1);
    a.bytes = new Uint8Array([1]);
    expect(b).toStrictEqual(Everything.defaults());
  });

  it("values decode with copied bytes too", () => {
    const bytes = valueCodec.encode({ blob: new Uint8Array([1, 2, 3]) });
    const decoded = valueCodec.decode(bytes) as { blob: Uint8Array };
    bytes.fill(0);
    expect([...decoded.blob]).toEqual([1, 2, 3]);
  });
});
