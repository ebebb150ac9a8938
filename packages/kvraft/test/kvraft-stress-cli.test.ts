import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseStressArgs } from "../src/node/stress/stress-args.js";
import { runStressCli } from "../src/node/stress/stress-cli.js";
import {
  kvraftSuite,
  kvsrvSuite,
  type StressRunOptions,
  type StressSuite,
} from "../src/node/stress/stress-suite.js";
import { ScenarioFailure } from "../src/testing/scenario-failure.js";

const entry = {
  script: fileURLToPath(new URL("../src/node/kvraft-stress.ts", import.meta.url)),
  execArgv: ["--import", "tsx", "--conditions=@lab/source"],
};

async function cliWith(
  suite: StressSuite,
  argv: string[],
): Promise<{ code: number; out: string; err: string }> {
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
    suite,
  );
  return { code, out, err };
}

function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return cliWith(kvraftSuite, argv);
}

describe("kvraft-stress", () => {
  it("runs kvraft scenarios over seeds and ends with N passed, M failed", async () => {
    const { code, out } = await cli(
      "--scenario",
      "4B/SnapshotSize,TestOnePartition4A",
      "--seeds",
      "2",
    );
    expect(code).toBe(0);
    expect(out).toMatch(/^kvraft-stress: 2 scenario\(s\) x 2 seed\(s\), 4 runs\n/);
    expect(out).toMatch(/4A\/OnePartition\s+2 passed\s+0 failed/);
    expect(out).toMatch(/\n4 passed, 0 failed \(\d+\.\d s\)\n$/);
  });

  it("selects scenarios by part, and names the kvraft scenarios in its help", async () => {
    const args = parseStressArgs(["--part", "4B", "--seeds", "3"], kvraftSuite);
    expect(args.scenarios.length).toBe(9);
    expect(args.scenarios.every((s) => s.name.startsWith("4B/"))).toBe(true);
    expect(() => parseStressArgs(["--part", "5A"], kvraftSuite)).toThrow(/no part named/);
    expect(() => parseStressArgs(["--scenario", "Nope4A"], kvraftSuite)).toThrow(/4A\/Basic/);
    const help = await cli("--help");
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/usage: kvraft-stress/);
    expect(help.out).toMatch(/4B\/SnapshotRPC/);
    expect(help.out).not.toMatch(/--no-memory/);
  });

  it("exits 2 on a bad command line", async () => {
    const { code, err } = await cli("--seeds", "zero");
    expect(code).toBe(2);
    expect(err).toMatch(/^kvraft-stress: --seeds needs a positive integer/);
  });

  it("hands --reads to every run, and repeats it in the replay line of a failure", async () => {
    const seen: (string | undefined)[] = [];
    const recording: StressSuite = {
      ...kvraftSuite,
      run: async (scenario, options: StressRunOptions) => {
        seen.push(options.reads);
        const result = await kvraftSuite.run(scenario, options);
        // Fail seed 2 on purpose, to see the replay line.
        return options.seed === 2
          ? { ...result, ok: false, failure: new ScenarioFailure(2, 0, "made to fail") }
          : result;
      },
    };
    const { code, out } = await cliWith(recording, [
      "--scenario",
      "4A/OnePartition",
      "--seeds",
      "2",
      "--reads",
      "lease",
    ]);
    expect(seen).toEqual(["lease", "lease"]);
    expect(code).toBe(1);
    expect(out).toMatch(/^kvraft-stress: 1 scenario\(s\) x 2 seed\(s\), 2 runs, reads: lease\n/);
    expect(out).toMatch(
      /replay: pnpm --filter @lab\/kvraft stress:kvraft --scenario 4A\/OnePartition --seed 2 --reads lease\n/,
    );
    expect(parseStressArgs(["--reads", "log"], kvraftSuite).reads).toBe("log");
    expect(parseStressArgs([], kvraftSuite).reads).toBeUndefined();
    expect((await cli("--help")).out).toMatch(/--reads MODE .*read-index, lease, log/);
  });

  it("refuses an unknown read mode, and --reads for the kvsrv suite", () => {
    expect(() => parseStressArgs(["--reads", "fast"], kvraftSuite)).toThrow(
      /--reads needs one of read-index, lease, log, got "fast"/,
    );
    expect(() => parseStressArgs(["--reads", "log"], kvsrvSuite)).toThrow(/has no --reads/);
  });

  it("refuses --heap-probe: kvraft has no memory scenarios", async () => {
    expect(() => parseStressArgs(["--heap-probe", "snapshot"], kvraftSuite)).toThrow(
      /kvraft-stress has no memory scenarios, so no --heap-probe/,
    );
    expect((await cli("--help")).out).not.toMatch(/--heap-probe/);
  });
});
