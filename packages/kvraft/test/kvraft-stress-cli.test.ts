import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseStressArgs } from "../src/node/stress/stress-args.js";
import { runStressCli } from "../src/node/stress/stress-cli.js";
import { kvraftSuite } from "../src/node/stress/stress-suite.js";

const entry = {
  script: fileURLToPath(new URL("../src/node/kvraft-stress.ts", import.meta.url)),
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
    kvraftSuite,
  );
  return { code, out, err };
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
});
