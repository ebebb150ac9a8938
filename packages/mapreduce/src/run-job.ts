import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { type CliCommand, mapreduceCliCommand } from "./cli-command.js";
import {
  Coordinator,
  type CoordinatorEvent,
  DEFAULT_N_REDUCE,
  DEFAULT_TASK_TIMEOUT_MS,
  type JobSummary,
} from "./coordinator.js";
import { MapReduceUsageError, WorkersExitedError } from "./errors.js";
import { loadApp } from "./load-app.js";

/** Options of {@link runJob}. */
export interface RunJobOptions {
  /**
   * The application, by name (`wc`, ...) or module path: the workers are separate processes,
   * so they load it themselves.
   */
  readonly app: string;
  readonly files: readonly string[];
  /** Number of worker processes (default 3). */
  readonly workers?: number;
  /** Number of reduce tasks (default 10). */
  readonly nReduce?: number;
  /** Directory for intermediate and output files. */
  readonly outDir: string;
  /** Re-issue timeout (default 10 000 ms). */
  readonly taskTimeoutMs?: number;
  /** How long the coordinator keeps answering `exit` after the job is done (default 1000 ms). */
  readonly lingerMs?: number;
  /** Extra environment for the workers (e.g. `MAPREDUCE_TIME_SCALE`). */
  readonly env?: Readonly<Record<string, string>>;
  /** Where the workers' stderr goes (default: this process's stderr). */
  readonly workerStderr?: "inherit" | "ignore";
  /** How to start the CLI (default {@link mapreduceCliCommand}). */
  readonly cli?: CliCommand;
  /** Coordinator events, for progress displays. */
  readonly onEvent?: (event: CoordinatorEvent) => void;
}

/** What {@link runJob} did. */
export interface JobRunResult extends JobSummary {
  /** Each worker's exit code (null when it was killed by a signal). */
  readonly workerExitCodes: readonly (number | null)[];
}

/**
 * Runs a whole job on this machine: a coordinator in this process and `workers` worker
 * processes (`mapreduce worker`), then waits for the job and for the workers to exit.
 *
 * @throws AppLoadError before starting anything when the application cannot be loaded;
 *   InputFileError when an input is missing; JobAbortedError when a task kept failing;
 *   WorkersExitedError when every worker exited before the job was done.
 */
export async function runJob(options: RunJobOptions): Promise<JobRunResult> {
  const nWorkers = options.workers ?? 3;
  if (!Number.isSafeInteger(nWorkers) || nWorkers < 1) {
    throw new MapReduceUsageError(`workers must be an integer >= 1, got ${nWorkers}`);
  }
  await loadApp(options.app); // fail here, once, rather than in every worker
  const app = /[\\/]/.test(options.app) ? resolve(options.app) : options.app;
  const taskTimeoutMs = options.taskTimeoutMs ?? DEFAULT_TASK_TIMEOUT_MS;
  const coordinator = await Coordinator.start({
    files: options.files,
    nReduce: options.nReduce ?? DEFAULT_N_REDUCE,
    workDir: options.outDir,
    taskTimeoutMs,
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
  });
  const cli = options.cli ?? mapreduceCliCommand();
  const workers = Array.from({ length: nWorkers }, () =>
    spawnWorker(cli, app, coordinator.url, options),
  );
  const exits = workers.map(exitCode);
  try {
    const allExited = Promise.all(exits).then((codes) => ({ codes }));
    const finished = await Promise.race([
      coordinator.done().then((summary) => ({ summary })),
      allExited,
    ]);
    if ("codes" in finished && coordinator.progress.phase !== "done") {
      throw new WorkersExitedError(
        `all ${nWorkers} workers exited (codes ${finished.codes.join(", ")}) before the job was done ` +
          `(${coordinator.progress.mapsDone}/${coordinator.progress.nMap} maps, ` +
          `${coordinator.progress.reducesDone}/${coordinator.progress.nReduce} reduces)`,
      );
    }
    const summary = await coordinator.done();
    // Keep answering for a moment so idle workers hear "exit" rather than silence.
    await sleep(options.lingerMs ?? 1000);
    await coordinator.close();
    const workerExitCodes = await withDeadline(Promise.all(exits), taskTimeoutMs + 5000, () => {
      for (const w of workers) w.kill("SIGKILL");
    });
    return { ...summary, workerExitCodes };
  } finally {
    await coordinator.close();
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill("SIGKILL");
  }
}

function spawnWorker(
  cli: CliCommand,
  app: string,
  coordinator: string,
  options: RunJobOptions,
): ChildProcess {
  return spawn(cli.command, [...cli.args, "worker", "--app", app, "--coordinator", coordinator], {
    stdio: ["ignore", "ignore", options.workerStderr ?? "inherit"],
    env: { ...process.env, ...options.env },
  });
}

function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done(child.exitCode);
    else child.once("exit", (code) => done(code));
    child.once("error", () => done(null));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Awaits `promise`; if it takes longer than `ms`, calls `onLate` (which must settle it). */
async function withDeadline<T>(promise: Promise<T>, ms: number, onLate: () => void): Promise<T> {
  const timer = setTimeout(onLate, ms);
  try {
    return await promise;
  } finally {
    clearTimeout(timer);
  }
}
