import { describe, expect, inject, it } from "vitest";
import { runStressCli } from "../src/cli/run-stress.js";

const cli = inject("mapreduceCli");

async function stress(argv: string[], extra = {}): Promise<{ code: number; out: string }> {
  let out = "";
  const code = await runStressCli(
    argv,
    (t) => {
      out += t;
    },
    extra,
  );
  return { code, out };
}

describe("mapreduce-stress", () => {
  it("repeats the selected cases and reports N passed, M failed", async () => {
    const run = await stress(["--runs", "2", "--cases", "indexer"], { cli });
    expect(run.code).toBe(0);
    const lines = run.out.trim().split("\n");
    expect(lines[0]).toBe("mapreduce stress: 2 run(s) of indexer with ci settings on 8 inputs");
    expect(lines.filter((l) => /^run [12]\/2 indexer: passed \(\d+\.\d s\)$/.test(l))).toHaveLength(
      2,
    );
    expect(lines.at(-1)).toMatch(/^2 passed, 0 failed \(ci settings, \d+\.\d s\)$/);
  }, 60_000);

  it("counts a run as failed when a case fails, and says why", async () => {
    // A "CLI" that exits at once: the coordinator never announces its address.
    const broken = { command: process.execPath, args: ["-e", "process.exit(4)", "--"] };
    const run = await stress(["--cases", "wc"], { cli: broken });
    expect(run.code).toBe(1);
    expect(run.out).toContain("run 1/1 wc: FAILED");
    expect(run.out).toMatch(/coordinator exited \(exited with code 4\) before printing/);
    expect(run.out.trim().split("\n").at(-1)).toMatch(/^0 passed, 1 failed/);
  });

  it("rejects unknown cases and options", async () => {
    expect((await stress(["--cases", "wc,nope"])).out).toMatch(
      /unknown case nope: expected wc, indexer/,
    );
    expect((await stress(["--runs", "0"])).code).toBe(2);
    expect((await stress(["--fast"])).out).toMatch(/Unknown option '--fast'/);
    expect((await stress(["--help"])).out).toContain("Usage: mapreduce-stress");
  });
});
