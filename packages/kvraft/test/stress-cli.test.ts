import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseStressArgs, replayFlags, stressUsage } from "../src/node/stress/stress-args.js";
import { runStressCli } from "../src/node/stress/stress-cli.js";
import { kvraftSuite } from "../src/node/stress/stress-suite.js";
import { formatRecord, StressSummary } from "../src/node/stress/stress-summary.js";

const entry = {
  script: fileURLToPath(new URL("../src/node/kvsrv-stress.ts", import.meta.url)),
  execArgv: ["--import", "tsx", "--conditions=@lab/source"],
};

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runStressCli(
    argv,
    {
      out: (t) => {
        out += t;
      },
      err: (t) => {
        err += t;
      },
    },
    entry,
  );
  return { code, out, err };
}

describe("kvsrv-stress", () => {
  it("runs scenarios over seeds and ends with N passed, M failed", async () => {
    const { code, out } = await cli("--scenario", "UnreliableOneKey,Basic", "--seeds", "3");
    expect(code).toBe(0);
    expect(out).toMatch(/^kvsrv-stress: 2 scenario\(s\) x 3 seed\(s\), 6 runs\n/);
    expect(out).toMatch(/UnreliableOneKey\s+3 passed\s+0 failed/);
    expect(out).toMatch(/\n6 passed, 0 failed \(\d+\.\d s\)\n$/);
  });

  it("prints one JSON object per run with --json", async () => {
    const { code, out } = await cli("--json", "--scenario", "UnreliableOneKey", "--seed", "4,9");
    expect(code).toBe(0);
    const records = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(records.map((r) => [r.scenario, r.seed, r.ok])).toEqual([
      ["UnreliableOneKey", 4, true],
      ["UnreliableOneKey", 9, true],
    ]);
    expect(records[0].operations).toBe(52); // a put, 50 appends and a get
  });

  it("spreads runs over processes with --jobs", async () => {
    const { code, out, err } = await cli(
      "--jobs",
      "2",
      "--scenario",
      "UnreliableOneKey",
      "--seeds",
      "4",
      "--first-seed",
      "10",
    );
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain("in 2 processes");
    expect(out).toMatch(/\n4 passed, 0 failed/);
  });

  it("writes a replayable trace for one scenario and seed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kvsrv-trace-"));
    const a = join(dir, "a.jsonl");
    const b = join(dir, "b.jsonl");
    await cli("--scenario", "Unreliable", "--seed", "3", "--trace", a);
    await cli("--scenario", "Unreliable", "--seed", "3", "--trace", b);
    const trace = readFileSync(a, "utf8");
    expect(trace).toBe(readFileSync(b, "utf8"));
    const kinds = new Set(
      trace
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).kind),
    );
    expect([...kinds]).toEqual(
      expect.arrayContaining(["rpc.send", "rpc.deliver", "kvsrv.get", "kvsrv.append"]),
    );
  });

  it("reports usage errors with status 2", async () => {
    for (const argv of [
      ["--scenario", "Nope"],
      ["--seeds", "0"],
      ["--seeds", "3", "--seed", "1"],
      ["--trace", "x.jsonl", "--seeds", "2"],
      ["--frobnicate"],
      ["--heap-probe", "rss"],
    ]) {
      const { code, err } = await cli(...argv);
      expect(code, argv.join(" ")).toBe(2);
      expect(err).toMatch(/^kvsrv-stress: .*\nusage: kvsrv-stress/);
    }
    expect((await cli("--help")).out).toMatch(/^usage: kvsrv-stress/);
  });

  it("parses seeds, scenarios and shards", () => {
    const args = parseStressArgs(["--seeds=3", "--first-seed", "5", "--no-memory"]);
    expect(args.seeds).toEqual([5, 6, 7]);
    expect(args.scenarios.every((s) => !s.memory)).toBe(true);
    expect(args.scenarios).toHaveLength(4);
    expect(parseStressArgs(["--scenario", "TestMemGet2"]).scenarios.map((s) => s.name)).toEqual([
      "MemGet",
    ]);
    expect(parseStressArgs(["--shard", "1/3"]).shard).toEqual({ index: 1, count: 3 });
    expect(() => parseStressArgs(["--shard", "3/3"])).toThrow(/--shard/);
  });

  it("measures memory with gc() and process.memoryUsage() unless told to take snapshots", () => {
    expect(parseStressArgs([]).heapProbe).toBe("memory-usage");
    expect(parseStressArgs(["--heap-probe=snapshot"]).heapProbe).toBe("snapshot");
    expect(() => parseStressArgs(["--heap-probe", "rss"])).toThrow(
      /--heap-probe needs one of memory-usage, snapshot, got "rss"/,
    );
    expect(stressUsage()).toMatch(/--heap-probe P {5}how memory scenarios measure/);
  });

  it("repeats a non-default heap probe in the replay line, only when memory is measured", () => {
    expect(replayFlags(parseStressArgs(["--scenario", "MemGet", "--heap-probe", "snapshot"]))).toBe(
      " --heap-probe snapshot",
    );
    expect(replayFlags(parseStressArgs(["--scenario", "MemGet"]))).toBe("");
    expect(replayFlags(parseStressArgs(["--scenario", "Basic", "--heap-probe", "snapshot"]))).toBe(
      "",
    );
    const kvraftArgs = parseStressArgs(["--reads", "lease"], kvraftSuite);
    expect(replayFlags(kvraftArgs)).toBe(" --reads lease");
  });

  it("prints a failure with the seed and the command that replays it", () => {
    const record = {
      scenario: "Unreliable",
      seed: 17,
      ok: false,
      failure: "client 2: get(2) returned ... (seed 17, at 812 ms of virtual time)",
      virtualMs: 812,
      rpcs: 10,
      bytes: 100,
      operations: 5,
      notes: ["linearizability check gave up"],
      figures: {},
      realMs: 12,
    };
    expect(formatRecord(record)).toBe(
      "FAIL Unreliable seed 17: client 2: get(2) returned ... (seed 17, at 812 ms of virtual time)\n" +
        "  replay: pnpm --filter @lab/kvraft stress:kvsrv --scenario Unreliable --seed 17\n" +
        "note: Unreliable seed 17: linearizability check gave up\n",
    );
    expect(formatRecord({ ...record, ok: true, notes: [] })).toBe("");
    const summary = new StressSummary();
    summary.add(record);
    summary.add({ ...record, ok: true, seed: 18, realMs: 30 });
    expect(summary.passed).toBe(1);
    expect(summary.failed).toBe(1);
    expect(summary.lines()).toEqual([
      "Unreliable      1 passed    1 failed  (median 30 ms, max 30 ms)",
    ]);
  });
});
