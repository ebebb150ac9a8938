import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/cli/exit-codes.js";
import { selectScenarios } from "../../src/cli/stress/select-scenarios.js";
import {
  DEFAULT_SEEDS,
  DEFAULT_TIMEOUT_SECONDS,
  parseStressArgs,
} from "../../src/cli/stress/stress-args.js";
import { raftScenarios as tiny } from "./fixtures/tiny-registry.js";

function usageError(argv: string[]): string {
  try {
    parseStressArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected a usage error for ${argv.join(" ")}`);
}

describe("stress arguments", () => {
  it("defaults to every scenario over the default seeds", () => {
    expect(parseStressArgs([])).toEqual({
      kind: "stress",
      names: [],
      parts: [],
      registry: undefined,
      raft: undefined,
      syncDelayMs: undefined,
      seeds: DEFAULT_SEEDS,
      firstSeed: 1,
      workers: undefined,
      timeoutMs: DEFAULT_TIMEOUT_SECONDS * 1000,
    });
  });

  it("reads repeated scenarios and parts, seeds, workers and timeout", () => {
    const command = parseStressArgs([
      "--scenario",
      "3B/backup",
      "--scenario=3A/initial-election",
      "--part",
      "3c",
      "--part",
      "3D",
      "--seeds",
      "500",
      "--first-seed",
      "1000",
      "--workers",
      "3",
      "--timeout",
      "2.5",
      "--registry",
      "my-scenarios.ts",
      "--sync-delay",
      "4",
    ]);
    expect(command).toEqual({
      kind: "stress",
      names: ["3B/backup", "3A/initial-election"],
      parts: ["3C", "3D"],
      registry: "my-scenarios.ts",
      raft: undefined,
      syncDelayMs: 4,
      seeds: 500,
      firstSeed: 1000,
      workers: 3,
      timeoutMs: 2500,
    });
  });

  it("turns --seed into a replay, with or without a trace file", () => {
    expect(parseStressArgs(["--scenario", "3B/backup", "--seed", "17"])).toEqual({
      kind: "replay",
      names: ["3B/backup"],
      parts: [],
      registry: undefined,
      raft: undefined,
      syncDelayMs: undefined,
      seed: 17,
      trace: undefined,
    });
    expect(parseStressArgs(["--seed", "0", "--trace", "out.jsonl"])).toMatchObject({
      kind: "replay",
      seed: 0,
      trace: "out.jsonl",
    });
  });

  it("asks for help with -h and --help", () => {
    expect(parseStressArgs(["-h"])).toEqual({ kind: "help" });
    expect(parseStressArgs(["--seeds", "3", "--help"])).toEqual({ kind: "help" });
  });

  it("rejects bad numbers, naming the option and the text", () => {
    expect(usageError(["--seeds", "ten"])).toBe('--seeds: expected an integer >= 1, got "ten"');
    expect(usageError(["--seeds", "0"])).toBe('--seeds: expected an integer >= 1, got "0"');
    expect(usageError(["--seeds", "1.5"])).toMatch(/^--seeds: /);
    expect(usageError(["--first-seed=-1"])).toMatch(/^--first-seed: expected an integer >= 0/);
    // Without "=", node's parser takes "-1" for an option: still a usage error, naming it.
    expect(usageError(["--first-seed", "-1"])).toMatch(/--first-seed/);
    expect(usageError(["--workers", "0"])).toMatch(/^--workers: /);
    expect(usageError(["--seed", "1e3"])).toMatch(/^--seed: /);
    expect(usageError(["--seeds", "99999999999999999999"])).toMatch(/^--seeds: /);
    expect(usageError(["--timeout", "0"])).toMatch(/^--timeout: expected a number/);
    expect(usageError(["--timeout", "soon"])).toMatch(/^--timeout: /);
  });

  it("rejects unknown options, positionals, bad parts and conflicting options", () => {
    expect(usageError(["--sedes", "3"])).toMatch(/--sedes/);
    expect(usageError(["3B/backup"])).toMatch(/3B\/backup/);
    expect(usageError(["--part", "3E"])).toBe('--part: expected one of 3A, 3B, 3C, 3D, got "3E"');
    expect(usageError(["--trace", "t.jsonl"])).toMatch(/^--trace needs --seed/);
    expect(usageError(["--seed", "3", "--seeds", "10"])).toMatch(/^--seeds is for stress runs/);
    expect(usageError(["--seed", "3", "--workers", "2"])).toMatch(/^--workers is for stress/);
    expect(usageError(["--seeds"])).toMatch(/--seeds/);
    expect(usageError(["--sync-delay", "-1"])).toMatch(/--sync-delay/);
    expect(usageError(["--sync-delay", "fast"])).toMatch(/--sync-delay/);
  });
});

describe("scenario selection", () => {
  const selection = (names: string[], parts: ("3A" | "3B" | "3C" | "3D")[] = []) => ({
    names,
    parts,
    registry: undefined,
    raft: undefined,
    syncDelayMs: undefined,
  });
  const names = (list: readonly { name: string }[]) => list.map((s) => s.name);

  it("takes the whole registry when nothing is named", () => {
    expect(names(selectScenarios(tiny, selection([])))).toEqual(names(tiny));
  });

  it("adds named scenarios and whole parts up, in registry order, without duplicates", () => {
    const chosen = selectScenarios(
      tiny,
      selection(["tiny/slow", "tiny/elect", "tiny/agree"], ["3B"]),
    );
    expect(names(chosen)).toEqual(["tiny/elect", "tiny/agree", "tiny/unlucky", "tiny/slow"]);
  });

  it("lists every scenario name when a name is unknown", () => {
    let message = "";
    try {
      selectScenarios(tiny, selection(["tiny/nope", "tiny/elect"]));
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/^unknown scenario "tiny\/nope"\nScenarios:\n/);
    for (const s of tiny) expect(message).toContain(`  ${s.name}`);
  });

  it("refuses a selection that comes out empty", () => {
    expect(() =>
      selectScenarios(
        tiny.filter((s) => s.part !== "3C"),
        selection([], ["3C"]),
      ),
    ).toThrow(/^nothing to run: no scenario in part 3C/);
    expect(() => selectScenarios([], selection([]))).toThrow(
      /^nothing to run: the registry is empty\nScenarios: \(none registered\)/,
    );
  });
});
