import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Codec,
  CodecError,
  codecs,
  field,
  type Kind,
  message,
  type Value,
  valueCodec,
} from "../src/index.js";
import { messageOf, value } from "./support/arbitraries.js";
import { difference } from "./support/same.js";
import { AppendEntriesArgs, Everything, Inner, LogEntry } from "./support/schemas.js";

/** decode(encode(x)) deep-equals x, and re-encoding gives the same bytes (key order kept). */
function roundTrips<T>(codec: Codec<T>, x: T): void {
  const bytes = codec.encode(x);
  const back = codec.decode(bytes);
  expect(difference(x, back)).toBeUndefined();
  expect(codec.encode(back)).toEqual(bytes);
}

/**
 * Decoding arbitrary bytes either fails with a CodecError or yields a value that re-encodes to
 * exactly those bytes: the decoder accepts only canonical encodings, and nothing else escapes.
 */
function decodesCanonicallyOrFails<T>(codec: Codec<T>, bytes: Uint8Array): boolean {
  let decoded: T;
  try {
    decoded = codec.decode(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(CodecError);
    return false;
  }
  expect(codec.encode(decoded)).toEqual(bytes);
  return true;
}

const runs = { numRuns: 300 };

describe("decode(encode(x)) equals x", () => {
  it("for generated AppendEntries messages", () => {
    fc.assert(
      fc.property(messageOf(AppendEntriesArgs), (x) => roundTrips(AppendEntriesArgs, x)),
      runs,
    );
  });

  it("for generated messages using every kind and cardinality", () => {
    fc.assert(
      fc.property(messageOf(Everything), (x) => roundTrips(Everything, x)),
      runs,
    );
  });

  it("for generated values", () => {
    fc.assert(
      fc.property(value, (x) => roundTrips(valueCodec, x)),
      { numRuns: 1000 },
    );
  });

  it("for the primitive codecs", () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.maxSafeNat(), fc.double(), fc.string(), (i, u, d, s) => {
        roundTrips(codecs.int, i);
        roundTrips(codecs.uint, u);
        roundTrips(codecs.double, d);
        roundTrips(codecs.string, s);
      }),
      runs,
    );
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.uint8Array(),
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        (b, u, n) => {
          roundTrips(codecs.bool, b);
          roundTrips(codecs.bytes, u);
          roundTrips(codecs.bigint, n);
        },
      ),
      runs,
    );
  });

  it("for generated schemas and their messages", () => {
    // Random schemas: a field list of random kinds and cardinalities, possibly nesting Inner.
    const element = fc.constantFrom<[string, () => Kind<unknown>]>(
      ["int", () => field.int()],
      ["uint", () => field.uint()],
      ["double", () => field.double()],
      ["bool", () => field.bool()],
      ["string", () => field.string()],
      ["bytes", () => field.bytes()],
      ["bigint", () => field.bigint()],
      ["enum", () => field.enum(["p", "q", "r"])],
      ["message", () => field.message(Inner)],
      ["value", () => field.value()],
    );
    const card = fc.constantFrom("single", "optional", "repeated", "map");
    const schema = fc.uniqueArray(fc.tuple(fc.integer({ min: 1, max: 2000 }), element, card), {
      minLength: 1,
      maxLength: 8,
      selector: ([id]) => id,
    });
    fc.assert(
      fc.property(
        schema.chain((fields) => {
          const spec: Record<string, ReturnType<typeof field.int>> = {};
          for (const [id, [, make], c] of fields) {
            const name = `f${id}`;
            const kind = make();
            spec[name] = (
              c === "single"
                ? plainOf(kind, id)
                : c === "optional"
                  ? field.optional(kind, id)
                  : c === "repeated"
                    ? field.repeated(kind, id)
                    : field.map(kind, id)
            ) as ReturnType<typeof field.int>;
          }
          const codec = message("Generated", spec);
          return fc.tuple(
            fc.constant(codec as Codec<unknown>),
            messageOf(codec) as fc.Arbitrary<unknown>,
          );
        }),
        ([codec, x]) => roundTrips(codec, x),
      ),
      { numRuns: 200 },
    );
  });
});

/** A plain field of `kind`: the kinds above are made without a number, so rebuild with one. */
function plainOf(kind: Kind<unknown>, id: number): unknown {
  switch (kind.kind) {
    case "int":
      return field.int(id);
    case "uint":
      return field.uint(id);
    case "double":
      return field.double(id);
    case "bool":
      return field.bool(id);
    case "string":
      return field.string(id);
    case "bytes":
      return field.bytes(id);
    case "bigint":
      return field.bigint(id);
    case "value":
      return field.value(id);
    case "Inner":
      return field.message(Inner, id);
    default:
      return field.enum(["p", "q", "r"], id);
  }
}

describe("fuzz: decoding never fails in any other way", () => {
  const targets: [string, Codec<unknown>][] = [
    ["AppendEntriesArgs", AppendEntriesArgs as Codec<unknown>],
    ["Everything", Everything as Codec<unknown>],
    ["LogEntry", LogEntry as Codec<unknown>],
    ["Value", valueCodec as Codec<unknown>],
    ["codecs.int", codecs.int as Codec<unknown>],
    ["codecs.string", codecs.string as Codec<unknown>],
  ];

  for (const [name, codec] of targets) {
    it(`random bytes → CodecError or a canonical ${name}`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
          decodesCanonicallyOrFails(codec, bytes);
        }),
        { numRuns: 2000 },
      );
    });
  }

  it("mutated valid encodings → CodecError or a canonical message", () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        messageOf(Everything),
        fc.array(
          fc.tuple(
            fc.nat(),
            fc.integer({ min: 0, max: 255 }),
            fc.constantFrom("set", "insert", "delete"),
          ),
          {
            minLength: 1,
            maxLength: 3,
          },
        ),
        (x, edits) => {
          const bytes = [...Everything.encode(x)];
          for (const [at, byte, op] of edits) {
            const i = at % (bytes.length + 1);
            if (op === "set" && i < bytes.length) bytes[i] = byte;
            else if (op === "insert") bytes.splice(i, 0, byte);
            else bytes.splice(i, 1);
          }
          if (decodesCanonicallyOrFails(Everything as Codec<unknown>, Uint8Array.from(bytes)))
            accepted++;
        },
      ),
      { numRuns: 500 },
    );
    // Most edits are caught; the assertion is that none escaped as another error type.
    expect(accepted).toBeLessThan(500);
  });

  it("mutated value encodings → CodecError or a canonical value", () => {
    fc.assert(
      fc.property(value, fc.nat(), fc.integer({ min: 0, max: 255 }), (x, at, byte) => {
        const bytes = valueCodec.encode(x);
        bytes[at % bytes.length] = byte;
        decodesCanonicallyOrFails(valueCodec as Codec<unknown>, bytes);
      }),
      { numRuns: 1000 },
    );
  });

  it("every truncation of a generated encoding → CodecError", () => {
    const check = <T>(codec: Codec<T>, x: T) => {
      const bytes = codec.encode(x);
      // A plain loop, not expect().toThrow per prefix: long encodings have thousands of prefixes.
      const escaped: string[] = [];
      for (let n = 0; n < bytes.length; n++) {
        try {
          codec.decode(bytes.subarray(0, n));
          escaped.push(`prefix of ${n}/${bytes.length} bytes decoded`);
        } catch (error) {
          if (!(error instanceof CodecError)) escaped.push(`prefix of ${n}: ${String(error)}`);
        }
      }
      expect(escaped).toEqual([]);
    };
    fc.assert(
      fc.property(messageOf(AppendEntriesArgs), (x) => check(AppendEntriesArgs, x)),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(messageOf(Everything), (x) => check(Everything, x)),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(value, (x) => check(valueCodec, x as Value)),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.maxSafeInteger(), (x) => check(codecs.int, x)),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(fc.string(), (x) => check(codecs.string, x)),
      { numRuns: 100 },
    );
  });
});
