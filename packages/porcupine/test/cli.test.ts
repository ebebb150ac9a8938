import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { type CliIo, type CliJsonLine, runCli } from "../src/cli/run-cli.js";
import { dataDir } from "./helpers.js";
import { explodingKvPartition } from "./pathological.js";

const scratch = mkdtempSync(join(tmpdir(), "porcupine-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the CLI in-process with captured output and the real file system. */
async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readFile: (path) => Promise.resolve(readFileSync(path, "utf8")),
    writeFile: (path, data) => Promise.resolve(writeFileSync(path, data)),
  };
  const code = await runCli(argv, io, "9.9.9");
  return { code, stdout, stderr };
}

const data = (file: string) => join(dataDir(), file);
const write = (name: string, text: string) => {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
};
const jsonl = (lines: object[]) => lines.map((l) => JSON.stringify(l)).join("\n");

describe("porcupine check: exit codes", () => {
  it("exits 0 when every file is linearizable", async () => {
    const run = await cli("check", data("kv/c01-ok.txt"), data("jepsen/etcd_002.log"));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("c01-ok.txt: linearizable (58 operations, 10 partitions");
    expect(run.stdout).toContain("etcd_002.log: linearizable (77 operations, 1 partitions");
    expect(run.stderr).toBe("");
  });

  it("exits 1 when any file is not linearizable", async () => {
    const run = await cli("check", data("kv/c01-ok.txt"), data("kv/c01-bad.txt"));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("c01-bad.txt: NOT linearizable");
  });

  it("exits 2 when a file is unknown at the timeout and none is illegal", async () => {
    const slow = write(
      "slow.jsonl",
      jsonl([{ porcupine: 1, model: "kv" }, ...explodingKvPartition("k", 13).map(toRecord)]),
    );
    const run = await cli("check", "--timeout", "0.05", slow, data("kv/c01-ok.txt"));
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("slow.jsonl: unknown (timeout)");
  });

  it("exits 2 at the memory cap", async () => {
    const slow = write(
      "big.jsonl",
      jsonl([{ porcupine: 1, model: "kv" }, ...explodingKvPartition("k", 12).map(toRecord)]),
    );
    const run = await cli("check", "--memory-limit", "1", slow);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("unknown (memory)");
  });

  it("exits 1 over 2 when one file is illegal and another unknown", async () => {
    const slow = write(
      "slow2.jsonl",
      jsonl([{ porcupine: 1, model: "kv" }, ...explodingKvPartition("k", 13).map(toRecord)]),
    );
    const run = await cli("check", "--timeout", "0.05", slow, data("kv/c01-bad.txt"));
    expect(run.code).toBe(1);
  });

  it.each([
    [
      "a malformed line",
      "bad.txt",
      '{:process 0, :type :invoke, :f :get, :key "k", :value nil}\n{:process 0 oops',
      /bad\.txt:2: /,
    ],
    [
      "a return before its call",
      "ret.log",
      "INFO  jepsen.util - 0 :ok :read 3",
      /ret\.log:1: .*without an open invocation/,
    ],
    [
      "an unknown operation",
      "op.log",
      "INFO  jepsen.util - 0 :invoke :delete nil",
      /op\.log:1: unknown operation/,
    ],
    ["an empty file", "empty.txt", "", /empty\.txt:1: the history is empty/],
  ])("exits 3 on %s, naming file and line", async (_, name, text, message) => {
    const run = await cli("check", write(name, text), data("kv/c01-bad.txt"));
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(message);
    // The other file is still checked.
    expect(run.stdout).toContain("c01-bad.txt: NOT linearizable");
  });

  it.each([
    [["check"], /at least one FILE/],
    [[], /missing command/],
    [["verify", "x"], /unknown command "verify"/],
    [["check", "--model", "queue", "x"], /unknown --model "queue"/],
    [["check", "--format", "csv", "x"], /unknown --format "csv"/],
    [["check", "--timeout", "soon", "x"], /--timeout needs a non-negative number/],
    [["check", "--frobnicate", "x"], /Unknown option '--frobnicate'/],
    [["check", "/definitely/not/here.txt"], /no such file/],
  ])("exits 3 on bad usage %j", async (argv, message) => {
    const run = await cli(...argv);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(message);
  });

  it("exits 3 when the model cannot read the format", async () => {
    const run = await cli("check", "--model", "kv", data("jepsen/etcd_000.log"));
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("model kv cannot check it");
  });

  it("prints help and version", async () => {
    expect(await cli("--help")).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("Usage: porcupine check"),
    });
    expect(await cli("--version")).toEqual({ code: 0, stdout: "9.9.9\n", stderr: "" });
  });
});

describe("porcupine check: options", () => {
  it("--json prints one object per file with the documented fields", async () => {
    const run = await cli(
      "check",
      "--json",
      data("kv/c10-ok.txt"),
      data("kv/c10-bad.txt"),
      data("jepsen/etcd_000.log"),
    );
    expect(run.code).toBe(1);
    const lines = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as CliJsonLine);
    expect(lines.map((l) => Object.keys(l))).toEqual(
      Array(3).fill(["file", "result", "operations", "partitions", "ms"]),
    );
    expect(lines.map((l) => [l.file, l.result, l.operations, l.partitions])).toEqual([
      [data("kv/c10-ok.txt"), "ok", 337, 10],
      [data("kv/c10-bad.txt"), "illegal", 405, 10],
      [data("jepsen/etcd_000.log"), "illegal", 85, 1],
    ]);
    for (const l of lines) expect(l.ms).toBeGreaterThanOrEqual(0);
  });

  it("--format forces a parser", async () => {
    const run = await cli("check", "--format", "jsonl", data("kv/c01-ok.txt"));
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/c01-ok\.txt:1: invalid JSON/);
    expect((await cli("check", "--format", "porcupine-kv", data("kv/c01-ok.txt"))).code).toBe(0);
  });

  it("--model picks the model of a JSON-lines history without a header", async () => {
    const file = write(
      "register.jsonl",
      jsonl([
        { client: 0, call: 0, return: 1, input: { op: "write", value: 5 }, output: { type: "ok" } },
        { client: 1, call: 2, return: 3, input: { op: "read" }, output: { type: "ok", value: 5 } },
      ]),
    );
    expect((await cli("check", "--model", "register", file)).code).toBe(0);
    expect((await cli("check", file)).stderr).toMatch(/no model/);
  });

  it("--html writes a self-contained report", async () => {
    const html = join(scratch, "report.html");
    const run = await cli("check", "--html", html, data("kv/c01-bad.txt"));
    expect(run.code).toBe(1);
    const page = readFileSync(html, "utf8");
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain("c01-bad.txt");
    expect(page).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
  });
});

describe("the porcupine bin", () => {
  it("runs as a process from sources with the right exit code and output", () => {
    const root = fileURLToPath(new URL("../", import.meta.url));
    const run = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "--conditions=@lab/source",
        "src/cli.ts",
        "check",
        "--json",
        data("kv/c01-bad.txt"),
      ],
      { cwd: root, encoding: "utf8" },
    );
    expect(run.stderr).toBe("");
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      result: "illegal",
      operations: 38,
      partitions: 8,
    });
  });
});

function toRecord(o: {
  clientId: number | string;
  call: number;
  return: number;
  input: unknown;
  output: unknown;
}) {
  return { client: o.clientId, call: o.call, return: o.return, input: o.input, output: o.output };
}
