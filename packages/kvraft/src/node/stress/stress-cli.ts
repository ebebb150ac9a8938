import { join } from "node:path";
import { directoryArtifactWriter } from "../artifact-writer.js";
import { nodeHeapProbe } from "../heap-probe.js";
import { nodeMemoryUsageProbe } from "../memory-usage-probe.js";
import {
  parseStressArgs,
  replayFlags,
  type StressArgs,
  StressUsageError,
  stressUsage,
} from "./stress-args.js";
import { runInChildren } from "./stress-children.js";
import type { StressRecord } from "./stress-record.js";
import { planRuns, runInProcess } from "./stress-run.js";
import { kvsrvSuite, type StressSuite } from "./stress-suite.js";
import { formatRecord, StressSummary } from "./stress-summary.js";

/** Where the command writes. */
export interface StressIo {
  out(text: string): void;
  err(text: string): void;
}

/**
 * Exit statuses: 0 nothing failed, 1 something failed, 2 the command line was wrong, 3 the
 * command itself broke.
 */
export const STRESS_EXIT = { ok: 0, failed: 1, usage: 2, internal: 3 } as const;

/**
 * The stress command (`kvsrv-stress`, `kvraft-stress`): runs the selected scenarios of `suite` over the selected seeds (in this
 * process, or spread over child processes with `--jobs`), prints each failure with its seed and
 * how to replay it, a table per scenario and `N passed, M failed`. Resolves to the exit status.
 */
export async function runStressCli(
  argv: readonly string[],
  io: StressIo,
  entry: { readonly script: string; readonly execArgv: readonly string[] },
  suite: StressSuite = kvsrvSuite,
): Promise<number> {
  const usage = stressUsage(suite);
  let args: StressArgs;
  try {
    args = parseStressArgs(argv, suite);
  } catch (error) {
    if (!(error instanceof StressUsageError)) throw error;
    io.err(`${suite.command}: ${error.message}\n${usage}\n`);
    return STRESS_EXIT.usage;
  }
  if (args.help) {
    io.out(`${usage}\n`);
    return STRESS_EXIT.ok;
  }

  const started = performance.now();
  const summary = new StressSummary();
  // A failure's replay line repeats the flags that change what a run does.
  const replay = replayFlags(args);
  const onRecord = (record: StressRecord) => {
    summary.add(record);
    io.out(args.json ? `${JSON.stringify(record)}\n` : formatRecord(record, suite.script, replay));
  };

  const runs = planRuns(args);
  if (!args.json) {
    io.out(
      `${suite.command}: ${args.scenarios.length} scenario(s) x ${args.seeds.length} seed(s), ${runs.length} runs${args.jobs > 1 ? ` in ${args.jobs} processes` : ""}${args.reads === undefined ? "" : `, reads: ${args.reads}`}\n`,
    );
  }
  let problems: string[] = [];
  if (args.jobs > 1 && args.shard === undefined) {
    problems = await runInChildren(entry, argv, args.jobs, onRecord);
  } else {
    // Made only where the runs are: a probe sets V8 flags for its whole process.
    const measuresMemory = args.scenarios.some((s) => s.memory === true);
    const heap = !measuresMemory
      ? undefined
      : args.heapProbe === "snapshot"
        ? nodeHeapProbe()
        : nodeMemoryUsageProbe();
    await runInProcess(
      suite,
      runs,
      {
        heap,
        artifacts: directoryArtifactWriter(join(process.cwd(), "test-artifacts")),
        trace: args.trace,
        reads: args.reads,
      },
      onRecord,
    );
  }
  for (const problem of problems) io.err(`${suite.command}: ${problem}\n`);
  if (!args.json) {
    for (const line of summary.lines()) io.out(`${line}\n`);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    io.out(`${summary.passed} passed, ${summary.failed} failed (${seconds} s)\n`);
    if (args.trace !== undefined) io.out(`trace written to ${args.trace}\n`);
  }
  return summary.failed > 0 || problems.length > 0 ? STRESS_EXIT.failed : STRESS_EXIT.ok;
}
