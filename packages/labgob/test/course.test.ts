/**
 * Our equivalents of the course's labgob tests (TestGOB, TestCapital, TestDefault), where they
 * make sense in TypeScript.
 */
import { describe, expect, it } from "vitest";
import { CodecError, field, type Infer, message, type Value, valueCodec } from "../src/index.js";
import { expectCodecError } from "./support/expect-codec-error.js";

// TestGOB's struct T1 { T1int0 int; T1int1 int; T1string0 string; T1string1 string } ...
const T1 = message("T1", {
  T1int0: field.int(1),
  T1int1: field.int(2),
  T1string0: field.string(3),
  T1string1: field.string(4),
});
// ... and T2 { T2slice []T1; T2map map[int]*T1; T2t3 interface{} }. Go maps keyed by int become
// string-keyed maps; a map of pointers is a map of messages; interface{} is a Value.
const T2 = message("T2", {
  T2slice: field.repeated(field.message(T1), 1),
  T2map: field.map(field.message(T1), 2),
  T2t3: field.value(3),
});
// TestGOB encodes ints and a T2 in one stream; here one message holds them.
const Stream = message("Stream", { x0: field.int(1), x1: field.int(2), t2: field.message(T2, 3) });

describe("TestGOB", () => {
  it("round-trips ints, structs, slices, maps of pointers and an interface value", () => {
    const t1: Infer<typeof T1> = { T1int0: 0, T1int1: 1, T1string0: "6.824", T1string1: "" };
    // The registered interface value (T3 { T3int999 int }) is an arbitrary Value here.
    const t3: Value = { T3int999: -1 };
    const x: Infer<typeof Stream> = {
      x0: 0,
      x1: 1,
      t2: { T2slice: [t1, t1], T2map: { "99": { ...t1, T1string1: "y" } }, T2t3: t3 },
    };
    const back = Stream.decode(Stream.encode(x));
    expect(back).toStrictEqual(x);
    expect(back.t2.T2map["99"]?.T1string1).toBe("y");
    expect((back.t2.T2t3 as { T3int999: number }).T3int999).toBe(-1);
  });

  it("round-trips an interface{} of each registered-type-like shape through valueCodec", () => {
    for (const v of [99, "x", [1, 2], { a: { b: [null, true] } }, new Uint8Array([1]), 2n ** 70n]) {
      expect(valueCodec.decode(valueCodec.encode(v))).toStrictEqual(v);
    }
  });
});

describe("TestCapital", () => {
  // labgob warns about lower-case (unexported) fields, which gob silently drops. The TypeScript
  // analogue of a dropped field is a key the schema does not have: encoding it throws.
  it("reports a field that would be dropped, with its path", () => {
    const value = { T1int0: 1, T1int1: 2, T1string0: "a", T1string1: "b", t1int2: 3 };
    const error = expectCodecError(
      () => T1.encode(value as Infer<typeof T1>),
      "$.t1int2",
      /T1 has no field "t1int2"; it would be dropped/,
    );
    expect(error).toBeInstanceOf(CodecError);
  });

  it("reports it inside a slice of structs", () => {
    const good = { T1int0: 1, T1int1: 2, T1string0: "a", T1string1: "b" };
    const value = { T2slice: [good, { ...good, hidden: true }], T2map: {}, T2t3: null };
    expectCodecError(() => T2.encode(value as Infer<typeof T2>), "$.T2slice[1].hidden", /dropped/);
  });
});

describe("TestDefault", () => {
  // Go's decoder merges into the variable it is given, so decoding into a used variable can keep
  // stale non-default fields; labgob warns. Our decode always returns a fresh object, so the
  // hazard cannot arise. What remains to check is that nothing aliases: not the input buffer,
  // not an earlier result.
  it("decodes into a fresh object every time", () => {
    const bytes = T1.encode({ T1int0: 0, T1int1: 0, T1string0: "", T1string1: "" });
    const used = T1.decode(T1.encode({ T1int0: 9, T1int1: 9, T1string0: "stale", T1string1: "x" }));
    const fresh = T1.decode(bytes);
    expect(fresh).not.toBe(used);
    expect(fresh).toStrictEqual({ T1int0: 0, T1int1: 0, T1string0: "", T1string1: "" });
    expect(used.T1string0).toBe("stale");
  });

  it("decoded bytes do not alias the input buffer", () => {
    const Blob = message("Blob", { data: field.bytes(1) });
    const input = Blob.encode({ data: new Uint8Array([1, 2, 3]) });
    const decoded = Blob.decode(input);
    input.fill(0);
    expect([...decoded.data]).toEqual([1, 2, 3]);
    decoded.data[0] = 42;
    expect(Blob.decode(Blob.encode({ data: new Uint8Array([1, 2, 3]) })).data[0]).toBe(1);
  });
});
