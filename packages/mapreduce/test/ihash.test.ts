import { describe, expect, it } from "vitest";
import { ihash, reduceTaskOf } from "../src/index.js";

/** FNV-1a over Buffer.from(key, "utf8"): the obvious implementation, as an oracle. */
function reference(key: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(key, "utf8")) hash = Math.imul(hash ^ byte, 0x01000193);
  return hash & 0x7fffffff;
}

describe("ihash", () => {
  it("is 32-bit FNV-1a masked to 31 bits (published FNV-1a test vectors)", () => {
    expect(ihash("")).toBe(0x811c9dc5 & 0x7fffffff);
    expect(ihash("a")).toBe(0xe40c292c & 0x7fffffff);
    expect(ihash("foobar")).toBe(0xbf9cf968 & 0x7fffffff);
  });

  it("hashes the UTF-8 bytes of any string, astral characters and lone surrogates included", () => {
    const keys = [
      "the",
      "Ünïcödé",
      "日本語",
      "emoji 😀 mix",
      "\u{10ffff}",
      "a\ud800b",
      "\udc00",
      "x\ud83d",
    ];
    for (const key of keys) expect(ihash(key), key).toBe(reference(key));
  });

  it("puts a key in bucket ihash % nReduce", () => {
    for (const key of ["a", "b", "zebra"]) {
      expect(reduceTaskOf(key, 10)).toBe(ihash(key) % 10);
      expect(reduceTaskOf(key, 1)).toBe(0);
    }
  });
});
