/** Exit codes shared by the raft CLIs (`raft-stress`, `raft-trace`). */
export const EXIT = {
  /** Every run passed (stress, replay), or the trace was printed. */
  ok: 0,
  /** Some run failed. */
  failed: 1,
  /** The runner itself broke (a worker could not start); nothing about the scenarios is known. */
  runnerError: 2,
  /** Bad usage or bad input: unknown option or scenario, bad number, unreadable trace. */
  usage: 3,
  /** Stopped by Ctrl-C (128 + SIGINT, as shells report it). */
  interrupted: 130,
} as const;

/** A problem with the command line or the input, reported with exit code 3. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
