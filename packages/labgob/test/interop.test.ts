import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Codec, codecs, field, message, SchemaError } from "../src/index.js";
import pb from "../src/protobuf.js";
import { messageOf } from "./support/arbitraries.js";
import { AppendEntriesArgs, Everything } from "./support/schemas.js";

describe("protobufjs interoperability", () => {
  it("protobufjs decodes our bytes and re-encodes them byte for byte", () => {
    for (const codec of [AppendEntriesArgs, Everything] as Codec<unknown>[]) {
      const type = (codec as typeof Everything).reflect();
      fc.assert(
        fc.property(messageOf(codec as typeof Everything), (x) => {
          const ours = (codec as typeof Everything).encode(x);
          const theirs = type.decodeDelimited(ours);
          expect(type.verify(theirs)).toBeNull();
          expect(type.encodeDelimited(theirs).finish()).toEqual(Buffer.from(ours));
        }),
        { numRuns: 200 },
      );
    }
  });

  it("we decode what protobufjs encodes from the same schema", () => {
    const type = AppendEntriesArgs.reflect();
    const bytes = type
      .encodeDelimited(
        type.fromObject({
          term: 5,
          leaderId: -7,
          prevLogIndex: 0,
          entries: [{ term: 5, index: 1, command: Buffer.from([1, 2]) }],
          leaderCommit: 2 ** 40,
        }),
      )
      .finish();
    expect(AppendEntriesArgs.decode(bytes)).toStrictEqual({
      term: 5,
      leaderId: -7,
      prevLogIndex: 0,
      prevLogTerm: 0,
      entries: [{ term: 5, index: 1, command: new Uint8Array([1, 2]) }],
      leaderCommit: 2 ** 40,
    });
  });

  it("describes messages with the protobuf types of each kind", () => {
    const d = Everything.descriptor();
    const type = d.nested?.Everything as pb.IType;
    expect(type.fields.int).toEqual({ type: "sint64", id: 1 });
    expect(type.fields.uint).toEqual({ type: "uint64", id: 2 });
    expect(type.fields.bigint).toEqual({ type: "sint64", id: 7 });
    expect(type.fields.role).toEqual({ type: "Role", id: 8 });
    expect(type.fields.value).toEqual({ type: "labgob.Value", id: 10 });
    expect(type.fields.ints).toEqual({ rule: "repeated", type: "sint64", id: 11 });
    expect(type.fields.counts).toEqual({ keyType: "string", type: "uint64", id: 26 });
    expect(type.fields.maybeInt).toEqual({
      type: "sint64",
      id: 21,
      options: { proto3_optional: true },
    });
    expect(type.oneofs?._maybeInt).toEqual({ oneof: ["maybeInt"] });
    expect(Object.keys(d.nested ?? {}).sort()).toEqual(["Everything", "Inner", "labgob"]);
    // Loading it yields packed repeated scalars, as our writer produces.
    const root = pb.Root.fromJSON(d);
    expect(root.lookupType("Everything").fields.ints?.packed).toBe(true);
    expect(Everything.reflect()).toBe(Everything.reflect());
  });

  it("refuses to describe two different messages of one name", () => {
    const A1 = message("A", { x: field.int(1) });
    const A2 = message("A", { y: field.int(1) });
    const Both = message("Both", { a: field.message(A1, 1), b: field.message(A2, 2) });
    expect(() => Both.descriptor()).toThrow(SchemaError);
    // Encoding does not need names to be unique.
    expect(Both.decode(Both.encode({ a: { x: 1 }, b: { y: 2 } }))).toEqual({
      a: { x: 1 },
      b: { y: 2 },
    });
  });

  it("writes primitive codecs as protobuf wrapper messages", () => {
    const Int64Value = pb.Root.fromJSON({
      nested: { W: { fields: { value: { type: "sint64", id: 1 } } } },
    }).lookupType("W");
    const decoded = Int64Value.toObject(Int64Value.decode(codecs.int.encode(-300)), {
      longs: Number,
    });
    expect(decoded).toEqual({ value: -300 });
    // The field is written even when it is the default, so a truncation is always detected.
    expect([...codecs.int.encode(0)]).toEqual([8, 0]);
  });
});
