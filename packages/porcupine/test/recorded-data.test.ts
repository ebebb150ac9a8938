import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  builtinModel,
  checkOperationsSync,
  kvModel,
  parseHistory,
  parseKvLog,
} from "../src/index.js";
import { dataDir } from "./helpers.js";

/** Expected verdicts and sizes, read from the data set's own EXPECTED.md (never restated here). */
function readExpectations(): Map<string, { ok: boolean; operations: number; row: string[] }> {
  const text = readFileSync(join(dataDir(), "EXPECTED.md"), "utf8");
  const expected = new Map<string, { ok: boolean; operations: number; row: string[] }>();
  for (const line of text.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    const name = cells[1];
    if (name === undefined || !/^(kv\/.+\.txt|etcd_\d+\.log)$/.test(name)) continue;
    const verdictCell = cells.find((c) => /\((Ok|Illegal)\)/.test(c));
    if (verdictCell === undefined) throw new Error(`no verdict in EXPECTED.md row ${line}`);
    const file = name.startsWith("kv/") ? name : `jepsen/${name}`;
    // kv rows: | file | clients | operations | ...; etcd rows: | file | expected | invokes | ...
    const operations = Number(cells[3]);
    expected.set(file, { ok: verdictCell.includes("(Ok)"), operations, row: cells });
  }
  return expected;
}

const expectations = readExpectations();
const files = ["jepsen", "kv"].flatMap((dir) =>
  readdirSync(join(dataDir(), dir))
    .filter((f) => f.endsWith(".log") || f.endsWith(".txt"))
    .map((f) => `${dir}/${f}`),
);

describe("recorded histories", () => {
  it("has an expected verdict for each of the 57 files", () => {
    expect(files).toHaveLength(57);
    expect(files.filter((f) => !expectations.has(f))).toEqual([]);
  });

  it("agrees with the summary line listing the linearizable etcd logs", () => {
    const text = readFileSync(join(dataDir(), "EXPECTED.md"), "utf8");
    const listed =
      /Linearizable \(expected Ok\): ([\d ]+)\./.exec(text)?.[1]?.trim().split(" ") ?? [];
    const fromTable = [...expectations]
      .filter(([f, e]) => f.startsWith("jepsen/") && e.ok)
      .map(([f]) => /etcd_(\d+)/.exec(f)![1]);
    expect(listed.length).toBeGreaterThan(0);
    expect(fromTable.sort()).toEqual([...listed].sort());
  });

  it.each(files)("%s gets its expected verdict", (file) => {
    const expected = expectations.get(file)!;
    const loaded = parseHistory(readFileSync(join(dataDir(), file), "utf8"), { file });
    expect(loaded.operations).toHaveLength(expected.operations);
    const result = checkOperationsSync(builtinModel(loaded.model), loaded.operations, {
      collectInfo: true,
    });
    expect(result.result).toBe(expected.ok ? "ok" : "illegal");
    if (expected.ok) {
      for (const p of result.partitions) expect(p.linearization).toHaveLength(p.operations.length);
    } else {
      const bad = result.partitions.find((p) => p.result === "illegal")!;
      expect(bad.partialLinearizations?.length).toBeGreaterThan(0);
    }
  });

  it("finds exactly the illegal keys of c10-bad that EXPECTED.md names", () => {
    const row = expectations.get("kv/c10-bad.txt")!.row.join(" ");
    const match = /(\d+) of (\d+) keys illegal \(keys (\d+) and (\d+) are Ok\)/.exec(row);
    expect(match).not.toBeNull();
    const [, illegalCount, keyCount, okA, okB] = match!;
    const history = parseKvLog(readFileSync(join(dataDir(), "kv/c10-bad.txt"), "utf8"));
    const keys = [...new Set(history.map((o) => o.input.key))].sort();
    expect(keys).toHaveLength(Number(keyCount));
    const verdicts = keys.map((key) => ({
      key,
      result: checkOperationsSync(
        kvModel(),
        history.filter((o) => o.input.key === key),
      ).result,
    }));
    expect(verdicts.filter((v) => v.result === "illegal")).toHaveLength(Number(illegalCount));
    expect(verdicts.filter((v) => v.result === "ok").map((v) => v.key)).toEqual([okA, okB].sort());
  });
});
