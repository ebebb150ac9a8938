import { mkdtempSync } from "node:fs";
import { readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeFileAtomic } from "../src/files/atomic-write.js";
import { Bucket, decodeIntermediate, parseIntermediate } from "../src/files/intermediate.js";
import { IntermediateFileError, intermediateName, isOutputName, outputName } from "../src/index.js";

const scratch = mkdtempSync(join(tmpdir(), "mr-intermediate-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe("intermediate files", () => {
  it("round-trip any strings, newlines and quotes included", () => {
    const pairs = [
      { key: "plain", value: "1" },
      { key: 'quo"te\nnew\rline\ttab', value: "\\ back" },
      { key: "", value: "" },
      { key: "日本語 😀", value: "\u0000" },
    ];
    const bucket = new Bucket();
    for (const { key, value } of pairs) bucket.add(key, value);
    expect(bucket.size).toBe(4);
    expect(parseIntermediate(bucket.encode(), "f")).toEqual(pairs);
  });

  it("split large buckets over several lines and keep their order", () => {
    const bucket = new Bucket();
    for (let i = 0; i < 20_000; i++) bucket.add(`k${i}`, `${i}`);
    const text = bucket.encode();
    expect(text.split("\n").length - 1).toBe(3);
    const back = parseIntermediate(text, "f");
    expect(back).toHaveLength(20_000);
    expect(back[12_345]).toEqual({ key: "k12345", value: "12345" });
  });

  it("encode an empty bucket as an empty file", () => {
    expect(new Bucket().encode()).toBe("");
    expect(parseIntermediate("", "f")).toEqual([]);
  });

  it("reject what the map side never writes, naming the file and line", () => {
    const bad = ["nope\n", '["odd"]\n', '["k", 1]\n', '{"k": "v"}\n', '["a","b"]\n["a"]\n'];
    for (const text of bad) {
      expect(() => decodeIntermediate(text, "mr-3-4", () => {}), text).toThrow(
        IntermediateFileError,
      );
    }
    expect(() => parseIntermediate('["a","b"]\n["a"]\n', "mr-3-4")).toThrow(/mr-3-4: line 2/);
  });

  it("are named like the course's: mr-X-Y and mr-out-Y", () => {
    expect(intermediateName(3, 7)).toBe("mr-3-7");
    expect(outputName(2)).toBe("mr-out-2");
    expect(isOutputName("mr-out-12")).toBe(true);
    expect(isOutputName("mr-out-1.tmp")).toBe(false);
  });
});

describe("writeFileAtomic", () => {
  it("leaves only the target, and no temporary file matches mr-out*", async () => {
    const target = join(scratch, "mr-out-0");
    await writeFileAtomic(target, "a 1\n");
    await writeFileAtomic(target, "a 2\n");
    expect(await readFile(target, "utf8")).toBe("a 2\n");
    expect(await readdir(scratch)).toEqual(["mr-out-0"]);
  });

  it("concurrent writers of one file leave one writer's whole data", async () => {
    const target = join(scratch, "mr-0-0");
    const big = (c: string) => c.repeat(1 << 20);
    await Promise.all(["x", "y", "z", "w"].map((c) => writeFileAtomic(target, big(c))));
    const text = await readFile(target, "utf8");
    expect(text.length).toBe(1 << 20);
    expect(new Set(text).size).toBe(1);
    expect((await readdir(scratch)).filter((n) => n.startsWith(".tmp"))).toEqual([]);
  });
});
