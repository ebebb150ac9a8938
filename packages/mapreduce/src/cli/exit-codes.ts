import { isLabError } from "@lab/labgob";
import { AppLoadError, InputFileError, MapReduceError, MapReduceUsageError } from "../errors.js";

/** The CLI's exit codes. */
export const EXIT = {
  /** The command did what it was asked. */
  ok: 0,
  /** The job failed: a task kept failing, the coordinator was unreachable, workers died. */
  failed: 1,
  /** Bad usage or input: unknown options, missing files, an application that cannot load. */
  badInput: 2,
  /** A bug: an error nobody expected. */
  internal: 3,
} as const;

/** The exit code for an error a command threw. */
export function exitCodeFor(error: unknown): number {
  if (
    isLabError(error, MapReduceUsageError) ||
    isLabError(error, InputFileError) ||
    isLabError(error, AppLoadError)
  ) {
    return EXIT.badInput;
  }
  if (isLabError(error, MapReduceError)) return EXIT.failed;
  return EXIT.internal;
}
