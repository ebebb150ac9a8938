import { join } from "node:path";
import type { CliCommand } from "../cli-command.js";
import { CliProcess } from "./cli-process.js";
import { sortedOutputLines } from "./output.js";
import type { ScriptSettings } from "./settings.js";

/** What a case of the script works with. */
export interface CaseContext {
  /** A fresh directory of its own: the course's `mr-tmp/`. */
  readonly dir: string;
  /** The input files (the Gutenberg texts). */
  readonly inputs: readonly string[];
  readonly settings: ScriptSettings;
  /** Starts a `mapreduce` process in `dir`; the runner kills it if the case leaves it behind. */
  start(
    label: string,
    args: readonly string[],
    env?: Readonly<Record<string, string>>,
    timeoutMs?: number,
  ): CliProcess;
}

/** Creates a {@link CaseContext} that records the processes it starts in `started`. */
export function createCaseContext(
  dir: string,
  inputs: readonly string[],
  settings: ScriptSettings,
  cli: CliCommand,
  started: CliProcess[],
): CaseContext {
  return {
    dir,
    inputs,
    settings,
    start(label, args, env = {}, timeoutMs = settings.processTimeoutMs) {
      const process = new CliProcess(cli, args, { cwd: dir, env, label, timeoutMs });
      started.push(process);
      return process;
    },
  };
}

/** A running coordinator and the address it printed. */
export interface StartedCoordinator {
  readonly process: CliProcess;
  readonly address: string;
}

/**
 * Starts the coordinator on the inputs with 10 reduce tasks (the course's `mrcoordinator`) on a
 * free port, and waits until it listens: no fixed head start is needed, unlike the course's
 * `sleep 1`.
 */
export async function startCoordinator(
  ctx: CaseContext,
  taskTimeoutMs: number,
  timeoutMs = ctx.settings.processTimeoutMs,
): Promise<StartedCoordinator> {
  const process = ctx.start(
    "coordinator",
    [
      "coordinator",
      "--listen",
      "127.0.0.1:0",
      "--out",
      ctx.dir,
      "--reduce",
      "10",
      "--task-timeout",
      `${taskTimeoutMs}ms`,
      ...ctx.inputs,
    ],
    {},
    timeoutMs,
  );
  const match = await process.waitForLine(/^coordinator listening on (\S+)/);
  return { process, address: match[1] as string };
}

/** Starts a worker of `app` with its sleeps scaled by `timeScale`. */
export function startWorker(
  ctx: CaseContext,
  label: string,
  app: string,
  address: string,
  timeScale: number,
): CliProcess {
  // A worker started after the coordinator left (the crash test's restart loops can do that)
  // gives up after 2 s instead of the default 5 s.
  return ctx.start(
    label,
    ["worker", "--app", app, "--coordinator", address, "--connect-wait", "2s"],
    { MAPREDUCE_TIME_SCALE: String(timeScale) },
  );
}

/**
 * The sequential run's sorted output for `app` (the course's `mrsequential`), computed in a
 * subdirectory so its `mr-out-0` is not mixed with the case's outputs.
 */
export async function referenceOutput(
  ctx: CaseContext,
  app: string,
  timeScale = 1,
): Promise<string[]> {
  const out = join(ctx.dir, `reference-${app}`);
  const process = ctx.start(
    `sequential ${app}`,
    ["sequential", "--app", app, "--out", out, ...ctx.inputs],
    { MAPREDUCE_TIME_SCALE: String(timeScale) },
  );
  await process.expectExit();
  return sortedOutputLines(out);
}
