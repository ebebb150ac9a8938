import { availableParallelism } from "node:os";
import type { RaftScenario } from "../../testing/scenarios/types.js";
import type { CliIo } from "../cli-io.js";
import { EXIT } from "../exit-codes.js";
import type { StressJob, StressRunReport } from "./messages.js";
import { ProgressLine } from "./progress-line.js";
import type { StressCommand } from "./stress-args.js";
import { runInWorkers } from "./worker-pool.js";

/** What a stress run needs besides its command. */
export interface StressRunContext {
  readonly io: CliIo;
  readonly workerUrl: URL;
  /** Registry module URL for the workers; undefined for the built-in suite. */
  readonly registry: string | undefined;
  /** `--raft` module URL for the workers; undefined for this package's Raft. */
  readonly raft: string | undefined;
  /** `--sync-delay` for the workers. */
  readonly syncDelayMs: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs every scenario over the command's seeds in worker threads. Prints a line per failure as it
 * arrives, then `N passed, M failed` and the elapsed time; returns the exit code.
 */
export async function runStress(
  command: StressCommand,
  scenarios: readonly RaftScenario[],
  context: StressRunContext,
): Promise<number> {
  const { io } = context;
  const jobs = stressJobs(scenarios, command.firstSeed, command.seeds);
  const workers = Math.min(command.workers ?? availableParallelism(), jobs.length);
  const lastSeed = command.firstSeed + command.seeds - 1;
  io.stdout(
    `running ${plural(scenarios.length, "scenario")} x ${plural(command.seeds, "seed")} ` +
      `(${command.firstSeed}..${lastSeed}) = ${plural(jobs.length, "run")} ` +
      `on ${plural(workers, "worker thread")}\n`,
  );

  const started = performance.now();
  const progress = new ProgressLine(io.progressTerminal, jobs.length);
  const failures: StressRunReport[] = [];
  let passed = 0;
  let virtualMs = 0;
  const onResult = (report: StressRunReport): void => {
    virtualMs += report.virtualMs;
    if (report.ok) passed++;
    else {
      failures.push(report);
      progress.clear();
      io.stdout(failureLine(report));
    }
    progress.update(passed + failures.length, failures.length);
  };

  let outcome: Awaited<ReturnType<typeof runInWorkers>>;
  try {
    outcome = await runInWorkers(jobs, {
      workerUrl: context.workerUrl,
      registry: context.registry,
      raft: context.raft,
      syncDelayMs: context.syncDelayMs,
      workers,
      timeoutMs: command.timeoutMs,
      signal: context.signal,
      onResult,
    });
  } catch (error) {
    progress.clear();
    io.stderr(`raft-stress: ${(error as Error).message}\n`);
    return EXIT.runnerError;
  }
  progress.clear();

  const wallSeconds = (performance.now() - started) / 1000;
  io.stdout(`${passed} passed, ${failures.length} failed\n`);
  io.stdout(
    `elapsed ${wallSeconds.toFixed(1)} s on ${plural(workers, "worker")}, ` +
      `${(virtualMs / 1000).toFixed(1)} s of virtual time\n`,
  );
  if (outcome === "interrupted") {
    const skipped = jobs.length - passed - failures.length;
    io.stdout(`interrupted: ${plural(skipped, "run")} did not finish\n`);
  }
  const first = failures[0];
  if (first !== undefined) {
    io.stdout(
      `replay one with: --scenario ${first.scenario} --seed ${first.seed}` +
        (context.syncDelayMs === undefined ? "" : ` --sync-delay ${context.syncDelayMs}`) +
        " --trace trace.jsonl\n",
    );
  }
  if (outcome === "interrupted") return EXIT.interrupted;
  return failures.length > 0 ? EXIT.failed : EXIT.ok;
}

/**
 * Every (scenario, seed) pair, seed by seed: an early stop or a look at the first minutes has
 * touched every scenario, rather than one scenario many times.
 */
export function stressJobs(
  scenarios: readonly RaftScenario[],
  firstSeed: number,
  seeds: number,
): StressJob[] {
  const jobs: StressJob[] = [];
  for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
    for (const scenario of scenarios) jobs.push({ scenario: scenario.name, seed });
  }
  return jobs;
}

/** `FAIL <scenario> seed <S>: <message>`; a multi-line message is indented under it. */
export function failureLine(report: StressRunReport): string {
  const message = (report.failure ?? "failed").replace(/\n/g, "\n    ");
  return `FAIL ${report.scenario} seed ${report.seed}: ${message}\n`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
