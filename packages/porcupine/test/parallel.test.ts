import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "tsup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkOperations,
  checkOperationsSync,
  kvModel,
  type Operation,
  parseKvLog,
  WorkerFailureError,
} from "../src/index.js";
import { brokenModel, type CounterInput, counterModel } from "./fixtures/counter-model.js";
import { dataDir, op } from "./helpers.js";
import { explodingKvPartition } from "./pathological.js";

const kvFile = (name: string) => parseKvLog(readFileSync(join(dataDir(), "kv", name), "utf8"));

describe("checking partitions in worker threads (from sources)", () => {
  it.each(["c01-ok.txt", "c01-bad.txt", "c10-ok.txt", "c10-bad.txt", "c50-ok.txt"])(
    "%s: same verdict as on one thread",
    async (name) => {
      const history = kvFile(name);
      const parallel = await checkOperations(kvModel(), history, { parallel: 2 });
      expect(parallel.parallel).toBe(true);
      expect(parallel.result).toBe(checkOperationsSync(kvModel(), history).result);
    },
  );

  it("carries linearization info back from the workers", async () => {
    const history = kvFile("c10-bad.txt");
    const result = await checkOperations(kvModel(), history, { parallel: 2, collectInfo: true });
    const bad = result.partitions.find((p) => p.result === "illegal");
    expect(bad?.partialLinearizations?.length).toBeGreaterThan(0);
    expect(bad?.partialLinearizations?.[0]?.states[0]).toHaveProperty("value");
  });

  it("stops every worker at the first illegal partition", async () => {
    const history = [
      ...explodingKvPartition("slow", 14),
      op(50, 0, 1, { op: "put", key: "bad", value: "x" }, { type: "ok" }),
      op(50, 2, 3, { op: "get", key: "bad" }, { type: "ok", value: "y" }),
    ] as Operation<never, never>[];
    const result = await checkOperations(kvModel(), history, { parallel: 2 });
    expect(result.result).toBe("illegal");
    expect(result.partitions.map((p) => p.result)).toEqual(["skipped", "illegal"]);
  });

  it("answers unknown at the timeout and terminates the workers", async () => {
    const history = [...explodingKvPartition("a", 13), ...explodingKvPartition("b", 13, 100)];
    const result = await checkOperations(kvModel(), history, { parallel: 2, timeoutMs: 100 });
    expect(result).toMatchObject({ result: "unknown", reason: "timeout", parallel: true });
  });

  it("answers unknown at the memory cap inside workers", async () => {
    const history = [...explodingKvPartition("a", 12), ...explodingKvPartition("b", 12, 100)];
    const result = await checkOperations(kvModel(), history, {
      parallel: 2,
      memoryLimitBytes: 1_000_000,
    });
    expect(result).toMatchObject({ result: "unknown", reason: "memory" });
    expect(result.partitions.map((p) => p.reason)).toEqual(["memory", "memory"]);
  });

  it("loads a user model from its module in the workers", async () => {
    const history: Operation<CounterInput, number | null>[] = [
      op(0, 0, 1, { op: "inc", counter: "a" }, null),
      op(1, 0, 3, { op: "read", counter: "a" }, 1),
      op(2, 0, 1, { op: "inc", counter: "b" }, null),
      op(3, 2, 3, { op: "read", counter: "b" }, 0),
    ];
    const result = await checkOperations(counterModel, history, { parallel: 2 });
    expect(result).toMatchObject({ result: "illegal", parallel: true });
    const legal = await checkOperations(counterModel, history.slice(0, 3), { parallel: 2 });
    expect(legal).toMatchObject({ result: "ok", parallel: true });
  });

  it("rejects with a WorkerFailureError when the worker cannot load the model", async () => {
    const history: Operation<CounterInput, number | null>[] = [
      op(0, 0, 1, { op: "inc", counter: "a" }, null),
      op(1, 0, 1, { op: "inc", counter: "b" }, null),
    ];
    await expect(checkOperations(brokenModel, history, { parallel: 2 })).rejects.toBeInstanceOf(
      WorkerFailureError,
    );
  });

  it("stays on the calling thread for small histories unless asked", async () => {
    const result = await checkOperations(kvModel(), kvFile("c10-ok.txt"));
    expect(result.parallel).toBe(false);
  });
});

describe("checking partitions in worker threads (from the built package)", () => {
  let outDir = "";
  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), "porcupine-dist-"));
    const root = fileURLToPath(new URL("../", import.meta.url));
    // The same entries and options as tsup.config.ts, without type declarations (not needed here).
    await build({
      config: false,
      entry: {
        index: join(root, "src/index.ts"),
        "check-worker": join(root, "src/parallel/check-worker.ts"),
      },
      format: ["esm", "cjs"],
      outDir,
      shims: true,
      target: "node20",
      silent: true,
    });
    writeFileSync(join(outDir, "package.json"), JSON.stringify({ type: "module" }));
  }, 60_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  const script = (load: string) => `
    ${load}
    const fs = require("node:fs");
    const text = fs.readFileSync(${JSON.stringify(join(dataDir(), "kv", "c10-bad.txt"))}, "utf8");
    const history = m.parseKvLog(text);
    m.checkOperations(m.kvModel(), history, { parallel: 2 }).then((r) => console.log(JSON.stringify({ result: r.result, parallel: r.parallel })));
  `;

  it("runs workers from the ESM bundle", () => {
    const out = execFileSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        script(
          `import { createRequire } from "node:module"; const require = createRequire(import.meta.url); const m = await import(${JSON.stringify(join(outDir, "index.js"))});`,
        ),
      ],
      { encoding: "utf8" },
    );
    expect(JSON.parse(out)).toEqual({ result: "illegal", parallel: true });
  });

  it("runs workers from the CommonJS bundle", () => {
    const out = execFileSync(
      process.execPath,
      ["-e", script(`const m = require(${JSON.stringify(join(outDir, "index.cjs"))});`)],
      {
        encoding: "utf8",
      },
    );
    expect(JSON.parse(out)).toEqual({ result: "illegal", parallel: true });
  });
});
