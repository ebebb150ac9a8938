import { KvUsageError } from "../../errors.js";
import type { KvraftReadMode } from "../../testing/kvraft/kvraft-harness.js";
import { kvsrvSuite, type StressScenario, type StressSuite } from "./stress-suite.js";

/** What a stress run was asked to do. */
export interface StressArgs {
  readonly scenarios: readonly StressScenario[];
  readonly seeds: readonly number[];
  /** Processes to spread the runs over (1: run everything in this process). */
  readonly jobs: number;
  /** Print one JSON object per run instead of text. */
  readonly json: boolean;
  /** Write the run's trace (JSON lines) here; needs exactly one scenario and one seed. */
  readonly trace: string | undefined;
  /** `--heap-probe`: how the memory scenarios measure the heap. */
  readonly heapProbe: HeapProbeKind;
  /** `--reads`: how the servers serve Gets (undefined: the suite's default). */
  readonly reads: KvraftReadMode | undefined;
  /** Internal: run only the runs `i, i + n, i + 2n, ...` (the work of one child process). */
  readonly shard: { readonly index: number; readonly count: number } | undefined;
  readonly help: boolean;
}

/**
 * How memory scenarios measure: `memory-usage` is node's `gc()` then `process.memoryUsage()`
 * (the course's way, and cheap); `snapshot` adds up a V8 heap snapshot's live objects (exact,
 * a few hundred milliseconds per measurement).
 */
export type HeapProbeKind = "memory-usage" | "snapshot";

/** The probes `--heap-probe` takes, the default first. */
export const HEAP_PROBE_KINDS: readonly HeapProbeKind[] = ["memory-usage", "snapshot"];

/** A command line that cannot be run; the message says why. */
export class StressUsageError extends KvUsageError {
  static override readonly code: string = "LAB_KV_STRESS_USAGE";
}

const DEFAULT_SEEDS = 10;

function positiveInt(flag: string, text: string | undefined): number {
  const n = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) {
    throw new StressUsageError(`${flag} needs a positive integer, got ${JSON.stringify(text)}`);
  }
  return n;
}

function seedList(text: string | undefined): number[] {
  if (text === undefined) throw new StressUsageError("--seed needs a seed");
  return text.split(",").map((s) => {
    const n = Number(s.trim());
    if (!/^\d+$/.test(s.trim()) || !Number.isSafeInteger(n)) {
      throw new StressUsageError(`--seed needs non-negative integers, got ${JSON.stringify(s)}`);
    }
    return n;
  });
}

/**
 * Parses the stress command's arguments for `suite` (default kvsrv); throws
 * {@link StressUsageError} on a bad one.
 */
export function parseStressArgs(
  argv: readonly string[],
  suite: StressSuite = kvsrvSuite,
): StressArgs {
  const scenarioNames: string[] = [];
  const parts: string[] = [];
  let seedCount: number | undefined;
  let firstSeed = 1;
  let exactSeeds: number[] | undefined;
  let jobs = 1;
  let json = false;
  let memory = true;
  let trace: string | undefined;
  let reads: KvraftReadMode | undefined;
  let heapProbe: HeapProbeKind = HEAP_PROBE_KINDS[0] as HeapProbeKind;
  let shard: StressArgs["shard"];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? arg.split(/=(.*)/s) : [arg];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case "--seeds":
        seedCount = positiveInt("--seeds", value());
        break;
      case "--first-seed":
        firstSeed = positiveInt("--first-seed", value());
        break;
      case "--seed":
        exactSeeds = [...(exactSeeds ?? []), ...seedList(value())];
        break;
      case "--scenario":
        scenarioNames.push(...(value() ?? "").split(",").filter((s) => s !== ""));
        break;
      case "--part":
        parts.push(...(value() ?? "").split(",").filter((s) => s !== ""));
        break;
      case "--jobs":
        jobs = positiveInt("--jobs", value());
        break;
      case "--json":
        json = true;
        break;
      case "--no-memory":
        memory = false;
        break;
      case "--trace":
        trace = value();
        if (trace === undefined) throw new StressUsageError("--trace needs a file name");
        break;
      case "--reads": {
        const mode = value();
        const modes = suite.readModes;
        if (modes === undefined) throw new StressUsageError(`${suite.command} has no --reads`);
        reads = modes.find((m) => m === mode);
        if (reads === undefined) {
          throw new StressUsageError(
            `--reads needs one of ${modes.join(", ")}, got ${JSON.stringify(mode)}`,
          );
        }
        break;
      }
      case "--heap-probe": {
        if (!suite.scenarios.some((s) => s.memory === true)) {
          throw new StressUsageError(
            `${suite.command} has no memory scenarios, so no --heap-probe`,
          );
        }
        const kind = value();
        const found = HEAP_PROBE_KINDS.find((k) => k === kind);
        if (found === undefined) {
          throw new StressUsageError(
            `--heap-probe needs one of ${HEAP_PROBE_KINDS.join(", ")}, got ${JSON.stringify(kind)}`,
          );
        }
        heapProbe = found;
        break;
      }
      case "--shard": {
        const m = /^(\d+)\/(\d+)$/.exec(value() ?? "");
        if (m === null || Number(m[1]) >= Number(m[2])) {
          throw new StressUsageError("--shard needs i/n with 0 <= i < n");
        }
        shard = { index: Number(m[1]), count: Number(m[2]) };
        break;
      }
      case "--help":
      case "-h":
        help = true;
        break;
      default:
        throw new StressUsageError(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  if (exactSeeds !== undefined && seedCount !== undefined) {
    throw new StressUsageError("give either --seed or --seeds, not both");
  }
  const known = suite.scenarios;
  const wantedParts = new Set(parts.map((p) => p.toLowerCase()));
  for (const part of wantedParts) {
    if (!known.some((s) => s.part?.toLowerCase() === part)) {
      throw new StressUsageError(`no part named ${JSON.stringify(part)} in ${suite.command}`);
    }
  }
  const scenarios =
    scenarioNames.length === 0
      ? known.filter(
          (s) =>
            (memory || s.memory !== true) &&
            (wantedParts.size === 0 || wantedParts.has(s.part?.toLowerCase() ?? "")),
        )
      : scenarioNames.map((name) => {
          const found = suite.find(name);
          if (found === undefined) {
            throw new StressUsageError(
              `no scenario named ${JSON.stringify(name)}; scenarios: ${known.map((s) => s.name).join(", ")}`,
            );
          }
          return found;
        });
  const seeds =
    exactSeeds ?? Array.from({ length: seedCount ?? DEFAULT_SEEDS }, (_, i) => firstSeed + i);
  if (trace !== undefined && (scenarios.length !== 1 || seeds.length !== 1 || jobs > 1)) {
    throw new StressUsageError(
      "--trace needs exactly one --scenario and one --seed, and no --jobs",
    );
  }
  return { scenarios, seeds, jobs, json, trace, heapProbe, reads, shard, help };
}

/**
 * The flags a failure's replay line repeats: the ones that change what a run does or measures
 * and differ from their defaults.
 */
export function replayFlags(args: StressArgs): string {
  const reads = args.reads === undefined ? "" : ` --reads ${args.reads}`;
  const measuresMemory = args.scenarios.some((s) => s.memory === true);
  const probe =
    measuresMemory && args.heapProbe !== HEAP_PROBE_KINDS[0]
      ? ` --heap-probe ${args.heapProbe}`
      : "";
  return reads + probe;
}

/** The command's help text for `suite`. */
export function stressUsage(suite: StressSuite = kvsrvSuite): string {
  const hasMemory = suite.scenarios.some((s) => s.memory === true);
  const parts = [
    ...new Set(suite.scenarios.flatMap((s) => (s.part === undefined ? [] : [s.part]))),
  ];
  const lines = [
    `usage: ${suite.command} [options]    (pnpm --filter @lab/kvraft ${suite.script} -- [options])`,
    "",
    `Runs ${suite.title} in virtual time over many seeds and prints each failure with`,
    'the seed that replays it, then "N passed, M failed". Exit status 0 only when nothing failed.',
    "",
    `  --seeds N          seeds 1..N (default ${DEFAULT_SEEDS}); with --first-seed F, seeds F..F+N-1`,
    "  --seed S[,S...]    exactly these seeds (replay a failure)",
    "  --scenario NAME    only this scenario (repeat or separate with commas); names:",
    ...suite.scenarios.map((s) => `                     ${s.name}`),
  ];
  if (parts.length > 0)
    lines.push(`  --part P           only the scenarios of part P (${parts.join(", ")})`);
  if (hasMemory) {
    lines.push(
      "  --no-memory        leave out the memory scenarios (Mem*)",
      `  --heap-probe P     how memory scenarios measure: ${HEAP_PROBE_KINDS.join(", ")} (default ${HEAP_PROBE_KINDS[0]})`,
    );
  }
  if (suite.readModes !== undefined) {
    lines.push(
      `  --reads MODE       how the servers serve Gets: ${suite.readModes.join(", ")} (default ${suite.readModes[0]})`,
    );
  }
  lines.push(
    "  --jobs N           spread the runs over N processes (default 1)",
    "  --json             one JSON object per run instead of text",
    "  --trace FILE       write the run's trace as JSON lines (one scenario, one seed)",
  );
  if (hasMemory) {
    lines.push(
      "",
      "Memory scenarios measure the heap of their process: memory-usage runs gc() (the --expose-gc",
      "function) and reads process.memoryUsage(); snapshot adds up a V8 heap snapshot's live objects.",
      "Each runs best alone, so with --jobs they share no process with other runs at the same time.",
    );
  }
  return lines.join("\n");
}

/** The kvsrv command's help text. */
export const STRESS_USAGE = stressUsage(kvsrvSuite);
