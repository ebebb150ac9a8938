import { LabError } from "@lab/labgob";

/** Base of every error `@lab/mapreduce` throws on purpose (`code` `"LAB_MR"`). */
export class MapReduceError extends LabError {
  static override readonly code: string = "LAB_MR";
}

/** An option or argument is malformed (a bad `nReduce`, a negative timeout, no input files). */
export class MapReduceUsageError extends MapReduceError {
  static override readonly code: string = "LAB_MR_USAGE";
}

/** Input files that do not exist or are not readable regular files. */
export class InputFileError extends MapReduceError {
  static override readonly code: string = "LAB_MR_INPUT";
  /** The offending paths, as they were given. */
  readonly files: readonly string[];

  constructor(files: readonly string[], reasons: readonly string[]) {
    const list = files.map((file, i) => `  ${file}: ${reasons[i] ?? "unreadable"}`).join("\n");
    super(`${files.length === 1 ? "an input file is" : "input files are"} missing:\n${list}`);
    this.files = files;
  }
}

/** An application could not be loaded: no such module, or it lacks `map`/`reduce` functions. */
export class AppLoadError extends MapReduceError {
  static override readonly code: string = "LAB_MR_APP_LOAD";
  /** The application as it was named: a shipped name or a module path. */
  readonly app: string;

  constructor(app: string, message: string, options?: { cause?: unknown }) {
    super(`application ${JSON.stringify(app)}: ${message}`, options);
    this.app = app;
  }
}

/** An application's `map` or `reduce` returned something other than what the contract says. */
export class AppOutputError extends MapReduceError {
  static override readonly code: string = "LAB_MR_APP_OUTPUT";
}

/** A worker never reached its coordinator within its connect window. */
export class CoordinatorUnreachableError extends MapReduceError {
  static override readonly code: string = "LAB_MR_UNREACHABLE";
  /** The address the worker tried, `host:port`. */
  readonly address: string;

  constructor(address: string, waitedMs: number, lastReason: string) {
    super(
      `cannot reach the coordinator at ${address} (${lastReason} for ${(waitedMs / 1000).toFixed(1)} s); ` +
        "is it running, and is the address right?",
    );
    this.address = address;
  }
}

/** The coordinator gave up on the job: a task failed (threw) more times than allowed. */
export class JobAbortedError extends MapReduceError {
  static override readonly code: string = "LAB_MR_ABORTED";
}

/** An intermediate file is missing or is not in the format the map side writes. */
export class IntermediateFileError extends MapReduceError {
  static override readonly code: string = "LAB_MR_INTERMEDIATE";
  /** The file's path. */
  readonly file: string;

  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(`${file}: ${message}`, options);
    this.file = file;
  }
}

/** `runJob`: every worker process exited while the job was still unfinished. */
export class WorkersExitedError extends MapReduceError {
  static override readonly code: string = "LAB_MR_WORKERS_EXITED";
}
