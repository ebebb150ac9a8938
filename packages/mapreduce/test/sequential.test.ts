import { mkdtempSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  AppOutputError,
  InputFileError,
  type MapReduceApp,
  runSequential,
  shippedApps,
} from "../src/index.js";
import { gutenbergFiles } from "../src/testing/index.js";

const scratch = mkdtempSync(join(tmpdir(), "mr-sequential-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));
const inputs = gutenbergFiles();

/** Word counts computed another way: character by character, no regular expression over runs. */
async function oracleCounts(files: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const file of files) {
    let word = "";
    for (const ch of await readFile(file, "utf8")) {
      if (/\p{L}/u.test(ch)) word += ch;
      else if (word !== "") {
        counts.set(word, (counts.get(word) ?? 0) + 1);
        word = "";
      }
    }
    if (word !== "") counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts;
}

describe("runSequential", () => {
  it("counts the words of the Gutenberg texts like an independent count", async () => {
    const result = await runSequential({ app: shippedApps.wc, files: inputs, outDir: scratch });
    expect(result.outputFile).toBe(join(scratch, "mr-out-0"));
    expect(result.inputBytes).toBe(3_301_104);
    const lines = (await readFile(result.outputFile, "utf8")).split("\n");
    expect(lines.pop()).toBe("");
    const expected = await oracleCounts(inputs);
    expect(result.keys).toBe(expected.size);
    expect(lines).toHaveLength(expected.size);
    const keys = lines.map((line) => line.slice(0, line.indexOf(" ")));
    expect(keys).toEqual([...keys].sort());
    for (const line of lines) {
      const [word, count] = line.split(" ");
      expect(Number(count), word).toBe(expected.get(word as string));
    }
  });

  it("refuses missing inputs before mapping anything, listing every one", async () => {
    const error = await runSequential({
      app: shippedApps.wc,
      files: [inputs[0] as string, "nope-1.txt", "nope-2.txt"],
      outDir: join(scratch, "never"),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputFileError);
    expect((error as InputFileError).files).toEqual(["nope-1.txt", "nope-2.txt"]);
    expect((error as Error).message).toBe(
      "input files are missing:\n  nope-1.txt: no such file\n  nope-2.txt: no such file",
    );
  });

  it("reports an application whose map or reduce returns the wrong shape", async () => {
    const files = [inputs[0] as string];
    const badMap: MapReduceApp = {
      map: () => [{ key: "k", value: 1 as unknown as string }],
      reduce: () => "",
    };
    await expect(runSequential({ app: badMap, files, outDir: scratch })).rejects.toThrow(
      AppOutputError,
    );
    await expect(runSequential({ app: badMap, files, outDir: scratch })).rejects.toThrow(
      /returned \{"key":"k","value":1\} at index 0, not a \{ key, value \} pair of strings/,
    );
    const badReduce: MapReduceApp = {
      map: () => [{ key: "k", value: "v" }],
      reduce: () => 42 as unknown as string,
    };
    await expect(runSequential({ app: badReduce, files, outDir: scratch })).rejects.toThrow(
      'reduce("k") returned number 42, not a string',
    );
  });
});
