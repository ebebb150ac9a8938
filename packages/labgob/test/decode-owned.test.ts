import { describe, expect, it } from "vitest";
import { codecs } from "../src/index.js";
import { AppendEntriesArgs } from "./support/schemas.js";

const sample = {
  term: 7,
  leaderId: 1,
  prevLogIndex: 41,
  prevLogTerm: 6,
  entries: [
    { term: 7, index: 42, command: new Uint8Array([1, 2, 3]) },
    { term: 7, index: 43, command: new Uint8Array(200).fill(9) },
  ],
  leaderCommit: 40,
};

describe("DecodeOptions.owned", () => {
  it("by default every bytes field is a copy: the input may be reused at once", () => {
    const bytes = AppendEntriesArgs.encode(sample);
    const decoded = AppendEntriesArgs.decode(bytes);
    bytes.fill(0);
    expect(decoded.entries[0]?.command).toEqual(new Uint8Array([1, 2, 3]));
    expect(decoded.entries[1]?.command.buffer).not.toBe(bytes.buffer);
  });

  it("owned: bytes fields are views of the input, equal to a copying decode", () => {
    const bytes = AppendEntriesArgs.encode(sample);
    const viewed = AppendEntriesArgs.decode(bytes, { owned: true });
    expect(viewed).toStrictEqual(AppendEntriesArgs.decode(bytes));
    const command = viewed.entries[1]?.command as Uint8Array;
    expect(command.buffer).toBe(bytes.buffer);
    expect(command.constructor).toBe(Uint8Array);
    // A view, so it sees what happens to the input: why the caller must hand the input over.
    bytes.fill(0);
    expect(command[0]).toBe(0);
  });

  it("owned on a Buffer input gives plain Uint8Array views", () => {
    const bytes = Buffer.from(codecs.bytes.encode(new Uint8Array([5, 6])));
    const value = codecs.bytes.decode(bytes, { owned: true });
    expect(value).toStrictEqual(new Uint8Array([5, 6]));
    expect(value.constructor).toBe(Uint8Array);
    expect(value.buffer).toBe(bytes.buffer);
  });

  it("strictness is the same with owned: truncated input is refused", () => {
    const bytes = AppendEntriesArgs.encode(sample);
    expect(() =>
      AppendEntriesArgs.decode(bytes.subarray(0, bytes.length - 1), { owned: true }),
    ).toThrow(/truncated/);
  });
});
