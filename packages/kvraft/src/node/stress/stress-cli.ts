import { join } from "node:path";
import { directoryArtifactWriter } from "../artifact-writer.js";
import { nodeHeapProbe } from "../heap-probe.js";
import { parseStressArgs, STRESS_USAGE, type StressArgs, StressUsageError } from "./stress-args.js";
import { runInChildren } from "./stress-children.js";
import type { StressRecord } from "./stress-record.js";
import { planRuns, runInProcess } from "./stress-run.js";
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
 * The `kvsrv-stress` command: runs the selected scenarios over the selected seeds (in this
 * process, or spread over child processes with `--jobs`), prints each failure with its seed and
 * how to replay it, a table per scenario and `N passed, M failed`. Resolves to the exit status.
 */
export async function runStressCli(
  argv: readonly string[],
  io: StressIo,
  entry: { readonly script: string; readonly execArgv: readonly string[] },
): Promise<number> {
  let args: StressArgs;
  try {
    args = parseStressArgs(argv);
  } catch (error) {
    if (!(error instanceof StressUsageError)) throw error;
    io.err(`kvsrv-stress: ${error.message}\n${STRESS_USAGE}\n`);
    return STRESS_EXIT.usage;
  }
  if (args.help) {
    io.out(`${STRESS_USAGE}\n`);
    return STRESS_EXIT.ok;
  }
  const heap = args.scenarios.some((s) => s.memory) ? nodeHeapProbe() : undefined;

  const started = performance.now();
  const summary = new StressSummary();
  const onRecord = (record: StressRecord) => {
    summary.add(record);
    io.out(args.json ? `${JSON.stringify(record)}\n` : formatRecord(record));
  };

  const runs = planRuns(args);
  if (!args.json) {
    io.out(
      `kvsrv stress: ${args.scenarios.length} scenario(s) x ${args.seeds.length} seed(s), ${runs.length} runs${args.jobs > 1 ? ` in ${args.jobs} processes` : ""}\n`,
    );
  }
  let problems: string[] = [];
  if (args.jobs > 1 && args.shard === undefined) {
    problems = await runInChildren(entry, argv, args.jobs, onRecord);
  } else {
    await runInProcess(
      runs,
      {
        heap,
        artifacts: directoryArtifactWriter(join(process.cwd(), "test-artifacts")),
        trace: args.trace,
      },
      onRecord,
    );
  }
  for (const problem of problems) io.err(`kvsrv-stress: ${problem}\n`);
  if (!args.json) {
    for (const line of summary.lines()) io.out(`${line}\n`);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    io.out(`${summary.passed} passed, ${summary.failed} failed (${seconds} s)\n`);
    if (args.trace !== undefined) io.out(`trace written to ${args.trace}\n`);
  }
  return summary.failed > 0 || problems.length > 0 ? STRESS_EXIT.failed : STRESS_EXIT.ok;
}
