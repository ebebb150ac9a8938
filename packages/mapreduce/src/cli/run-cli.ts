import { type ParseArgsConfig, parseArgs } from "node:util";
import { DEFAULT_COORDINATOR_ADDRESS, parseEndpoint } from "../address.js";
import { Coordinator, DEFAULT_N_REDUCE, DEFAULT_TASK_TIMEOUT_MS } from "../coordinator.js";
import { MapReduceUsageError } from "../errors.js";
import { loadApp } from "../load-app.js";
import { createProgressReporter, type ProgressOutput } from "../progress.js";
import { runJob } from "../run-job.js";
import { runSequential } from "../sequential.js";
import { runWorker, type WorkerEvent } from "../worker.js";
import { parseCount, parseDuration } from "./duration.js";
import { EXIT, exitCodeFor } from "./exit-codes.js";
import { USAGE } from "./usage.js";

/** Where the CLI writes; injectable so tests can run it in-process. */
export interface CliIo {
  /** Progress and results. */
  readonly stdout: ProgressOutput;
  /** Errors and worker logs. */
  readonly stderr: { write(text: string): void };
}

const COMMANDS = ["sequential", "coordinator", "worker", "run"] as const;
type Command = (typeof COMMANDS)[number];

type Options = NonNullable<ParseArgsConfig["options"]>;
const str = { type: "string" } as const;
const OPTIONS: Record<Command, Options> = {
  sequential: { app: str, out: str },
  coordinator: { reduce: str, out: str, listen: str, "task-timeout": str, linger: str },
  worker: { app: str, coordinator: str, "connect-wait": str, verbose: { type: "boolean" } },
  run: { app: str, workers: str, reduce: str, out: str, "task-timeout": str, linger: str },
};

/**
 * Runs the `mapreduce` command line with `argv` (without node and the script) and returns the
 * exit code (see `EXIT`). Errors are reported on `io.stderr`, never thrown.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  version = "0.0.0",
): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "help" || first === "-h" || first === "--help") {
    io.stdout.write(USAGE);
    return first === undefined ? EXIT.badInput : EXIT.ok;
  }
  if (first === "-v" || first === "--version") {
    io.stdout.write(`${version}\n`);
    return EXIT.ok;
  }
  try {
    if (!(COMMANDS as readonly string[]).includes(first)) {
      throw new MapReduceUsageError(
        `unknown command ${JSON.stringify(first)}: expected ${COMMANDS.join(", ")}`,
      );
    }
    const command = first as Command;
    const { values, positionals } = parse(command, rest);
    if (values.help === true) {
      io.stdout.write(USAGE);
      return EXIT.ok;
    }
    return await COMMAND_RUNNERS[command](values, positionals, io);
  } catch (error) {
    const code = exitCodeFor(error);
    const text =
      code === EXIT.internal
        ? `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`
        : (error as Error).message;
    io.stderr.write(`mapreduce: ${text}\n`);
    if (code === EXIT.badInput) io.stderr.write("Run 'mapreduce --help' for usage.\n");
    return code;
  }
}

type Values = Record<string, string | boolean | undefined>;
type Runner = (values: Values, files: readonly string[], io: CliIo) => Promise<number>;

const COMMAND_RUNNERS: Record<Command, Runner> = {
  async sequential(values, files) {
    const app = await loadApp(required(values, "app"));
    await runSequential({ app, files: needFiles(files), outDir: required(values, "out") });
    return EXIT.ok;
  },

  async coordinator(values, files, io) {
    const listen = parseEndpoint(string(values, "listen") ?? DEFAULT_COORDINATOR_ADDRESS);
    const reporter = createProgressReporter(io.stdout);
    const coordinator = await Coordinator.start({
      files: needFiles(files),
      nReduce: count(values, "reduce") ?? DEFAULT_N_REDUCE,
      workDir: required(values, "out"),
      taskTimeoutMs: duration(values, "task-timeout") ?? DEFAULT_TASK_TIMEOUT_MS,
      host: listen.host,
      port: listen.port,
      onEvent: (event) => reporter.onEvent(event),
    });
    const { nMap, nReduce } = coordinator.progress;
    reporter.log(`coordinator listening on ${coordinator.url} (${nMap} maps, ${nReduce} reduces)`);
    try {
      await coordinator.done();
    } finally {
      reporter.finish();
      // Workers that ask during the linger hear "exit" (or "abort") instead of silence.
      await sleep(duration(values, "linger") ?? 1000);
      await coordinator.close();
    }
    return EXIT.ok;
  },

  async worker(values, files, io) {
    if (files.length > 0) throw new MapReduceUsageError("worker takes no FILE arguments");
    const app = await loadApp(required(values, "app"));
    const verbose = values.verbose === true;
    const connectWaitMs = duration(values, "connect-wait");
    const result = await runWorker({
      app,
      coordinator: string(values, "coordinator") ?? DEFAULT_COORDINATOR_ADDRESS,
      ...(connectWaitMs === undefined ? {} : { connectWaitMs }),
      ...(verbose ? { onEvent: (event: WorkerEvent) => logWorkerEvent(event, io) } : {}),
    });
    if (verbose) {
      io.stderr.write(
        `worker ${process.pid}: exiting (${result.reason === "done" ? "job done" : "coordinator gone"}; ` +
          `${result.maps} maps, ${result.reduces} reduces)\n`,
      );
    }
    return EXIT.ok;
  },

  async run(values, files, io) {
    const reporter = createProgressReporter(io.stdout);
    try {
      const taskTimeoutMs = duration(values, "task-timeout");
      const lingerMs = duration(values, "linger");
      const result = await runJob({
        app: required(values, "app"),
        files: needFiles(files),
        workers: count(values, "workers") ?? 3,
        nReduce: count(values, "reduce") ?? DEFAULT_N_REDUCE,
        outDir: required(values, "out"),
        ...(taskTimeoutMs === undefined ? {} : { taskTimeoutMs }),
        ...(lingerMs === undefined ? {} : { lingerMs }),
        onEvent: (event) => reporter.onEvent(event),
      });
      reporter.log(`workers exited with codes ${result.workerExitCodes.join(", ")}`);
    } finally {
      reporter.finish();
    }
    return EXIT.ok;
  },
};

function parse(command: Command, args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: { ...OPTIONS[command], help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new MapReduceUsageError(`${command}: ${(error as Error).message}`);
  }
}

function string(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

function required(values: Values, name: string): string {
  const value = string(values, name);
  if (value === undefined || value === "") throw new MapReduceUsageError(`--${name} is required`);
  return value;
}

function count(values: Values, name: string): number | undefined {
  const value = string(values, name);
  return value === undefined ? undefined : parseCount(`--${name}`, value);
}

function duration(values: Values, name: string): number | undefined {
  const value = string(values, name);
  return value === undefined ? undefined : parseDuration(`--${name}`, value);
}

function needFiles(files: readonly string[]): readonly string[] {
  if (files.length === 0) throw new MapReduceUsageError("no input FILE given");
  return files;
}

function logWorkerEvent(event: WorkerEvent, io: CliIo): void {
  const who = `worker ${process.pid}`;
  switch (event.type) {
    case "task-finished":
      io.stderr.write(`${who}: ${event.kind} ${event.taskId} done in ${Math.round(event.ms)} ms\n`);
      break;
    case "task-failed":
      io.stderr.write(`${who}: ${event.kind} ${event.taskId} failed: ${event.error}\n`);
      break;
    case "no-reply":
      io.stderr.write(`${who}: no reply from the coordinator (${event.reason})\n`);
      break;
    default:
      break;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
