import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { MemoryTracer } from "@lab/labrpc";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import { runStressCli } from "../../src/cli/stress/stress-cli.js";
import { runScenario } from "../../src/testing/index.js";
import { captureIo } from "./capture-io.js";
import { raftScenarios as tiny } from "./fixtures/tiny-registry.js";
import { failedRuns, spawnCli, tinyRegistry } from "./spawn-cli.js";

const workerUrl = new URL("../../src/cli/stress-worker.ts", import.meta.url);
const scratch = mkdtempSync(join(tmpdir(), "raft-stress-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function tinyScenario(name: string) {
  const scenario = tiny.find((s) => s.name === name);
  if (scenario === undefined) throw new Error(`no ${name} in the tiny registry`);
  return scenario;
}

/** Runs the stress CLI in this process on the tiny registry. */
async function inProcess(args: string[]) {
  const io = captureIo({ cwd: scratch });
  const code = await runStressCli(["--registry", tinyRegistry, ...args], { io, workerUrl });
  return { code, stdout: io.out(), stderr: io.err() };
}

/** The seeds in `[first, first + count)` on which `name` fails, found by running it here. */
async function failingSeeds(name: string, first: number, count: number): Promise<number[]> {
  const seeds: number[] = [];
  for (let seed = first; seed < first + count; seed++) {
    if (!(await runScenario(tinyScenario(name), { seed })).ok) seeds.push(seed);
  }
  return seeds;
}

describe("raft-stress over worker threads", () => {
  it("passes every run: exit 0 and 'N passed, 0 failed'", async () => {
    const run = await spawnCli("stress", [
      "--registry",
      tinyRegistry,
      "--scenario",
      "tiny/elect",
      "--scenario",
      "tiny/agree",
      "--seeds",
      "5",
      "--workers",
      "2",
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(EXIT.ok);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("running 2 scenarios x 5 seeds (1..5) = 10 runs on 2 worker threads");
    expect(lines[1]).toBe("10 passed, 0 failed");
    expect(lines[2]).toMatch(/^elapsed \d+\.\d s on 2 workers, \d+\.\d s of virtual time$/);
    expect(lines).toHaveLength(3);
  });

  it("reports exactly the seeds that fail when run one by one, and exits 1", async () => {
    const expected = await failingSeeds("tiny/unlucky", 100, 30);
    // The fixture fails on about a third of the seeds: the check below must see some.
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(30);
    const run = await spawnCli("stress", [
      "--registry",
      tinyRegistry,
      "--part",
      "3B",
      "--first-seed",
      "100",
      "--seeds",
      "30",
      "--workers",
      "2",
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(EXIT.failed);
    expect(failedRuns(run.stdout)).toEqual(expected.map((s) => `tiny/unlucky ${s}`).sort());
    for (const seed of expected) {
      expect(run.stdout).toContain(
        `FAIL tiny/unlucky seed ${seed}: unlucky draw 0 (seed ${seed}, at `,
      );
    }
    // Part 3B of the tiny registry: tiny/agree and tiny/unlucky, 30 seeds each.
    expect(run.stdout).toMatch(
      new RegExp(`^${60 - expected.length} passed, ${expected.length} failed$`, "m"),
    );
    expect(run.stdout).toContain(
      `replay one with: --scenario tiny/unlucky --seed ${expected[0]} --trace trace.jsonl`,
    );
  });

  it("fails a run whose worker crashes or hangs, and carries on with a fresh worker", async () => {
    const run = await spawnCli("stress", [
      "--registry",
      tinyRegistry,
      "--scenario",
      "tiny/crash",
      "--scenario",
      "tiny/hang",
      "--scenario",
      "tiny/elect",
      "--seeds",
      "2",
      "--workers",
      "2",
      "--timeout",
      "2",
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(EXIT.failed);
    expect(failedRuns(run.stdout)).toEqual([
      "tiny/crash 1",
      "tiny/crash 2",
      "tiny/hang 1",
      "tiny/hang 2",
    ]);
    expect(run.stdout).toContain(
      "FAIL tiny/crash seed 1: worker thread crashed: exited with code 7",
    );
    expect(run.stdout).toMatch(
      /^FAIL tiny\/hang seed 1: no result after 2\.\d s of wall-clock time/m,
    );
    expect(run.stdout).toMatch(/^2 passed, 4 failed$/m);
  });

  it("stops the workers on Ctrl-C, prints the summary so far and exits 130", async () => {
    let interruptedAt = 0;
    const run = await spawnCli(
      "stress",
      ["--registry", tinyRegistry, "--scenario", "tiny/slow", "--seeds", "60", "--workers", "2"],
      {
        onStart: (child, stdout) => {
          // Interrupt once the run is under way (the header is printed after the handler is set).
          const poll = setInterval(() => {
            if (!stdout().includes("running ")) return;
            clearInterval(poll);
            setTimeout(() => {
              interruptedAt = performance.now();
              child.kill("SIGINT");
            }, 500);
          }, 20);
        },
      },
    );
    expect(interruptedAt).toBeGreaterThan(0);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(EXIT.interrupted);
    const summary = /^(\d+) passed, 0 failed$/m.exec(run.stdout);
    const skipped = /^interrupted: (\d+) runs? did not finish$/m.exec(run.stdout);
    expect(summary).not.toBeNull();
    expect(skipped).not.toBeNull();
    const passed = Number(summary![1]);
    expect(passed).toBeLessThan(60);
    expect(passed + Number(skipped![1])).toBe(60);
  });

  it("exits 3 with the scenario names for an unknown scenario", async () => {
    const run = await spawnCli("stress", ["--registry", tinyRegistry, "--scenario", "tiny/nope"]);
    expect(run.code).toBe(EXIT.usage);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^raft-stress: unknown scenario "tiny\/nope"\nScenarios:\n/);
    const listed = run.stderr.split("\n").map((line) => line.trim().split(/ {2,}/));
    for (const s of tiny) expect(listed).toContainEqual([s.name, s.title]);
  });
});

describe("raft-stress in-process", () => {
  it("runs in worker threads started from the TypeScript sources", async () => {
    const run = await inProcess(["--scenario", "tiny/elect", "--seeds", "4", "--workers", "2"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(EXIT.ok);
    expect(run.stdout).toMatch(/^4 passed, 0 failed$/m);
  });

  it("exits 2 when a worker cannot start, without blaming a scenario", async () => {
    const registry = fileURLToPath(
      new URL("./fixtures/main-thread-only-registry.ts", import.meta.url),
    );
    const io = captureIo({ cwd: scratch });
    const code = await runStressCli(["--registry", registry, "--seeds", "3"], { io, workerUrl });
    expect(code).toBe(EXIT.runnerError);
    expect(io.out()).not.toMatch(/^FAIL /m);
    expect(io.err()).toMatch(
      /^raft-stress: a stress worker failed to start: .*this registry refuses to load in a worker thread/,
    );
  });

  it("reports usage errors with exit code 3", async () => {
    const bad = await inProcess(["--seeds", "many"]);
    expect(bad).toEqual({
      code: EXIT.usage,
      stdout: "",
      stderr:
        'raft-stress: --seeds: expected an integer >= 1, got "many"\nRun with --help for usage.\n',
    });
    const two = await inProcess(["--part", "3D", "--seed", "1"]);
    expect(two.code).toBe(EXIT.usage);
    expect(two.stderr).toMatch(
      /^raft-stress: --seed replays exactly one scenario, and 2 are selected/,
    );
    expect(two.stderr).toContain("  tiny/elect");
    const registry = await inProcess(["--registry", join(scratch, "missing.ts")]);
    expect(registry.code).toBe(EXIT.usage);
    expect(registry.stderr).toMatch(/^raft-stress: --registry: cannot load file:\/\/.*missing\.ts/);
  });

  it("prints its help", async () => {
    const help = await inProcess(["--help"]);
    expect(help.code).toBe(EXIT.ok);
    expect(help.stdout).toMatch(/^Usage: raft-stress \[options\]/);
    expect(help.stdout).toContain("--scenario NAME");
  });
});

describe("replaying one seed", () => {
  it("writes the same trace on every replay, the run's own trace", async () => {
    const first = join(scratch, "first.jsonl");
    const second = join(scratch, "second.jsonl");
    const spawned = await spawnCli("stress", [
      "--registry",
      tinyRegistry,
      "--scenario",
      "tiny/agree",
      "--seed",
      "7",
      "--trace",
      first,
    ]);
    expect(spawned.stderr).toBe("");
    expect(spawned.code).toBe(EXIT.ok);
    const here = await inProcess([
      "--scenario",
      "tiny/agree",
      "--seed",
      "7",
      "--trace",
      "second.jsonl",
    ]);
    expect(here.code).toBe(EXIT.ok);

    const trace = readFileSync(first, "utf8");
    expect(readFileSync(second, "utf8")).toBe(trace);
    const tracer = new MemoryTracer();
    await runScenario(tinyScenario("tiny/agree"), { seed: 7, tracer });
    expect(trace).toBe(tracer.toJsonLines());

    const events = trace.trimEnd().split("\n");
    expect(events.length).toBeGreaterThan(20);
    expect(events.some((line) => JSON.parse(line).kind === "commit")).toBe(true);
    expect(spawned.stdout).toMatch(
      /^PASS tiny\/agree seed 7: \d+ ms virtual \(\d+\.\d\d s wall\), \d+ RPCs, \d+ bytes$/m,
    );
    expect(spawned.stdout).toContain(`trace: ${events.length} events written to ${first}\n`);
    expect(here.stdout).toContain(`trace: ${events.length} events written to ${second}\n`);
  });

  it("replays a failing seed with its failure and exit code 1", async () => {
    const [seed] = await failingSeeds("tiny/unlucky", 1, 20);
    expect(seed).toBeDefined();
    const run = await inProcess(["--scenario", "tiny/unlucky", "--seed", String(seed)]);
    expect(run.code).toBe(EXIT.failed);
    expect(run.stdout).toMatch(new RegExp(`^FAIL tiny/unlucky seed ${seed}: `));
    expect(run.stdout).toContain(`\n  unlucky draw 0 (seed ${seed}, at `);
  });
});
