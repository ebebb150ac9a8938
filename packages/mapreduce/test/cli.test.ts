import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { type CliIo, runCli } from "../src/cli/run-cli.js";
import { gutenbergFiles, sortedOutputLines } from "../src/testing/index.js";

const scratch = mkdtempSync(join(tmpdir(), "mr-cli-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));
const inputs = gutenbergFiles();
const bundled = inject("mapreduceCli");
let dirs = 0;
const freshDir = () => join(scratch, `out-${dirs++}`);

/** Runs the CLI in this process, capturing what it writes. */
async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: {
      write: (t) => {
        stdout += t;
      },
    },
    stderr: {
      write: (t) => {
        stderr += t;
      },
    },
  };
  const code = await runCli(argv, io, "9.9.9");
  return { code, stdout, stderr };
}

/** Runs the bundled CLI as a real process. */
function cliProcess(
  ...argv: string[]
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = performance.now();
  const child = spawn(bundled.command, [...bundled.args, ...argv], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, stderr, ms: performance.now() - started })),
  );
}

function module(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("mapreduce CLI: bad input is a message and a non-zero exit", () => {
  it("a missing input file, for every command that takes files", async () => {
    const missing = join(scratch, "no-such.txt");
    for (const argv of [
      ["sequential", "--app", "wc", "--out", freshDir(), inputs[0] as string, missing],
      ["coordinator", "--listen", "127.0.0.1:0", "--out", freshDir(), missing],
      ["run", "--app", "wc", "--out", freshDir(), missing],
    ]) {
      const run = await cli(...argv);
      expect(run.code, argv[0]).toBe(2);
      expect(run.stderr).toBe(
        `mapreduce: an input file is missing:\n  ${missing}: no such file\nRun 'mapreduce --help' for usage.\n`,
      );
    }
  });

  it("an application module without map or reduce, before any work", async () => {
    const half = module("half.mjs", "export function map() { return []; }\n");
    for (const argv of [
      ["sequential", "--app", half, "--out", freshDir(), ...inputs],
      ["worker", "--app", half, "--coordinator", "127.0.0.1:1"],
      ["run", "--app", half, "--out", freshDir(), ...inputs],
    ]) {
      const run = await cli(...argv);
      expect(run.code, argv[0]).toBe(2);
      expect(run.stderr).toContain(
        `mapreduce: application ${JSON.stringify(half)}: does not export a reduce() function (it exports map)`,
      );
    }
    const unknown = await cli("worker", "--app", "wordcount");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/"wordcount": is not a shipped application/);
  });

  it("usage errors: unknown command or option, missing --out, bad numbers and durations", async () => {
    const cases: [string[], RegExp][] = [
      [
        ["frobnicate"],
        /unknown command "frobnicate": expected sequential, coordinator, worker, run/,
      ],
      [
        ["run", "--app", "wc", "--wokers", "2", "--out", "x", "f"],
        /run: Unknown option '--wokers'/,
      ],
      [["sequential", "--app", "wc", "f"], /--out is required/],
      [
        ["run", "--app", "wc", "--out", "x", "--workers", "0", "f"],
        /--workers "0": expected an integer >= 1/,
      ],
      [
        ["coordinator", "--out", "x", "--task-timeout", "soon", "f"],
        /--task-timeout "soon": expected a duration/,
      ],
      [
        ["coordinator", "--out", "x", "--listen", "localhost", "f"],
        /"localhost" is not an address/,
      ],
      [["run", "--app", "wc", "--out", "x"], /no input FILE given/],
      [["worker", "--app", "wc", "extra.txt"], /worker takes no FILE arguments/],
    ];
    for (const [argv, message] of cases) {
      const run = await cli(...argv);
      expect(run.code, argv.join(" ")).toBe(2);
      expect(run.stderr, argv.join(" ")).toMatch(message);
      expect(run.stderr).toContain("Run 'mapreduce --help' for usage.");
    }
    expect((await cli()).code).toBe(2);
    expect((await cli("--help")).stdout).toContain("Usage: mapreduce <command>");
    expect((await cli("run", "--help")).code).toBe(0);
    expect((await cli("--version")).stdout).toBe("9.9.9\n");
  });

  it("a worker with no coordinator to reach: exit 1 with the address, not a hang (real process)", async () => {
    const port = await closedPort();
    const run = await cliProcess(
      "worker",
      "--app",
      "wc",
      "--coordinator",
      `127.0.0.1:${port}`,
      "--connect-wait",
      "500ms",
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `^mapreduce: cannot reach the coordinator at 127\\.0\\.0\\.1:${port} \\(unreachable for \\d\\.\\d s\\); is it running`,
      ),
    );
  });

  it("run: all workers dying before the job is done is an error, not a hang", async () => {
    const dies = module(
      "dies.mjs",
      "export function map() { process.exit(7); }\nexport function reduce() { return ''; }\n",
    );
    const run = await cliProcess(
      "run",
      "--app",
      dies,
      "--workers",
      "2",
      "--out",
      freshDir(),
      ...inputs,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "mapreduce: all 2 workers exited (codes 7, 7) before the job was done (0/8 maps, 0/10 reduces)",
    );
  });
});

describe("mapreduce CLI: jobs (real processes)", () => {
  // Four processes (a sequential run, then a coordinator and two workers) over the eight texts:
  // about 5 s alone, but 25–31 s in CI, where every package's suite shares 2 cores, so the
  // default 30 s budget is too tight for it. This is a functional check, not a speed check.
  it("run --app wc: output equals sequential, progress in plain lines", {
    timeout: 120_000,
  }, async () => {
    const seqDir = freshDir();
    const seq = await cliProcess("sequential", "--app", "wc", "--out", seqDir, ...inputs);
    expect(seq.code).toBe(0);
    const outDir = freshDir();
    const run = await cliProcess(
      "run",
      "--app",
      "wc",
      "--workers",
      "2",
      "--reduce",
      "3",
      "--out",
      outDir,
      ...inputs,
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(
      lines.filter((l) => /^map \d done by \S+ \(maps \d\/8, reduces 0\/3\)$/.test(l)),
    ).toHaveLength(8);
    expect(
      lines.filter((l) => / \(maps 8\/8, reduces \d\/3\)$/.test(l)).length,
    ).toBeGreaterThanOrEqual(3);
    expect(lines.at(-2)).toMatch(/^job done in \d+\.\d s \(maps 8\/8, reduces 3\/3\)$/);
    expect(lines.at(-1)).toBe("workers exited with codes 0, 0");
    expect(run.stdout).not.toContain("\r");
    expect(
      readdirSync(outDir)
        .filter((n) => n.startsWith("mr-out"))
        .sort(),
    ).toEqual(["mr-out-0", "mr-out-1", "mr-out-2"]);
    expect(await sortedOutputLines(outDir)).toEqual(await sortedOutputLines(seqDir));
  });

  it("coordinator and worker: a worker run by hand with a module app, then the coordinator's summary", async () => {
    const app = module(
      "lengths.mjs",
      `export const map = (f, c) => c.split("\\n").map((line) => ({ key: String(line.length), value: "1" }));
       export const reduce = (k, vs) => String(vs.length);`,
    );
    const outDir = freshDir();
    const child = spawn(
      bundled.command,
      [
        ...bundled.args,
        "coordinator",
        "--listen",
        "127.0.0.1:0",
        "--reduce",
        "2",
        "--out",
        outDir,
        "--linger",
        "200ms",
        ...inputs,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    const address = await new Promise<string>((resolve) => {
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
        const match = /^coordinator listening on (\S+) \(8 maps, 2 reduces\)$/m.exec(stdout);
        if (match) resolve(match[1] as string);
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    const worker = await cliProcess("worker", "--app", app, "--coordinator", address, "--verbose");
    expect(worker.code).toBe(0);
    expect(worker.stderr).toMatch(/: map 7 done in \d+ ms\n/);
    expect(worker.stderr).toMatch(/: exiting \(job done; 8 maps, 2 reduces\)\n$/);
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/job done in \d+\.\d s \(maps 8\/8, reduces 2\/2\)\n$/);
    const lines = await sortedOutputLines(outDir);
    const total = lines.reduce((n, line) => n + Number(line.split(" ")[1]), 0);
    expect(total).toBe(66_602 + 8); // every line, plus the empty string after each final newline
  });
});
