import { mkdtempSync } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { shippedAppNames, shippedApps, TIME_SCALE_ENV } from "../src/index.js";

const scratch = mkdtempSync(join(tmpdir(), "mr-apps-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));
const ctx = { workDir: scratch, taskId: 0 };

// The test applications sleep for seconds at the course's time scale; here they need not.
beforeEach(() => {
  process.env[TIME_SCALE_ENV] = "0";
});
afterEach(() => {
  delete process.env[TIME_SCALE_ENV];
});

describe("shipped applications", () => {
  it("are the course's eight", () => {
    expect(shippedAppNames).toEqual([
      "wc",
      "indexer",
      "mtiming",
      "rtiming",
      "jobcount",
      "early_exit",
      "crash",
      "nocrash",
    ]);
  });

  it("wc splits on anything that is not a letter (Go's unicode.IsLetter) and counts", async () => {
    const pairs = await shippedApps.wc.map("f", "It's 2 o'clock—Ærø, naïve 日本!\nit");
    expect(pairs.map((p) => p.key)).toEqual([
      "It",
      "s",
      "o",
      "clock",
      "Ærø",
      "naïve",
      "日本",
      "it",
    ]);
    expect(pairs.every((p) => p.value === "1")).toBe(true);
    expect(shippedApps.wc.reduce("it", ["1", "1", "1"])).toBe("3");
  });

  it("indexer emits each word once per document and lists the documents sorted", async () => {
    const pairs = await shippedApps.indexer.map("doc-b", "the cat the hat");
    expect(pairs).toEqual([
      { key: "the", value: "doc-b" },
      { key: "cat", value: "doc-b" },
      { key: "hat", value: "doc-b" },
    ]);
    expect(shippedApps.indexer.reduce("the", ["doc-b", "doc-a", "doc-c"])).toBe(
      "3 doc-a,doc-b,doc-c",
    );
  });

  it("nocrash emits the file's name, its name and byte lengths, and a constant", () => {
    expect(shippedApps.nocrash.map("pg-x.txt", "héllo")).toEqual([
      { key: "a", value: "pg-x.txt" },
      { key: "b", value: "8" },
      { key: "c", value: "6" },
      { key: "d", value: "xyzzy" },
    ]);
    expect(shippedApps.nocrash.reduce("a", ["z", "b", "m"])).toBe("b m z");
  });

  it("early_exit emits (filename, 1) and counts", async () => {
    expect(shippedApps.early_exit.map("/x/pg-tom_sawyer.txt")).toEqual([
      { key: "/x/pg-tom_sawyer.txt", value: "1" },
    ]);
    expect(await shippedApps.early_exit.reduce("/x/pg-tom_sawyer.txt", ["1", "1"])).toBe("2");
  });

  it("rtiming emits a..j and counts the reducing workers, itself included", async () => {
    expect(shippedApps.rtiming.map().map((p) => p.key)).toEqual([..."abcdefghij"]);
    expect(await shippedApps.rtiming.reduce("a", ["1"], ctx)).toBe("1");
    expect((await readdir(scratch)).filter((n) => n.startsWith("mr-worker-reduce-"))).toEqual([]);
  });

  it("mtiming reports this process's start time and parallelism", async () => {
    const pairs = await shippedApps.mtiming.map("f", "", ctx);
    expect(pairs).toEqual([
      { key: `times-${process.pid}`, value: expect.stringMatching(/^\d+\.\d$/) },
      { key: `parallel-${process.pid}`, value: "1" },
    ]);
    expect(shippedApps.mtiming.reduce("k", ["2", "1"])).toBe("1 2");
  });

  it("jobcount leaves one marker per map run and its reduce counts them", async () => {
    const dir = mkdtempSync(join(scratch, "jobcount-"));
    const jobCtx = { workDir: dir, taskId: 0 };
    for (let i = 0; i < 3; i++) {
      expect(await shippedApps.jobcount.map("f", "", jobCtx)).toEqual([{ key: "a", value: "x" }]);
    }
    expect(await shippedApps.jobcount.reduce("a", ["x", "x", "x"], jobCtx)).toBe("3");
  });

  it("reject a malformed MAPREDUCE_TIME_SCALE", async () => {
    process.env[TIME_SCALE_ENV] = "fast";
    await expect(shippedApps.early_exit.reduce("pg-tom.txt", ["1"])).rejects.toThrow(
      /MAPREDUCE_TIME_SCALE=fast is not a number/,
    );
  });
});
