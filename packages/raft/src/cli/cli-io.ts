/** Where a CLI writes; injectable so tests can run a CLI in-process and read what it printed. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** stderr when it is a terminal (for a redrawn progress line); undefined for a pipe or file. */
  readonly progressTerminal?: { readonly columns: number; write(text: string): void } | undefined;
  /** The width of stdout when it is a terminal; undefined for a pipe or file. */
  readonly stdoutColumns?: number | undefined;
  /** The directory relative paths on the command line are taken from. */
  readonly cwd: string;
}

/** The real process's streams and working directory. */
export function processIo(): CliIo {
  const err = process.stderr;
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => err.write(text),
    progressTerminal: err.isTTY
      ? {
          get columns() {
            return err.columns || 80;
          },
          write: (text) => err.write(text),
        }
      : undefined,
    stdoutColumns: process.stdout.isTTY ? process.stdout.columns || 80 : undefined,
    cwd: invocationDirectory(),
  };
}

/**
 * The directory the user typed the command in. This package's own scripts (`pnpm --filter
 * @lab/raft stress ...`) run in the package's directory and record the original one in INIT_CWD,
 * so a relative `--trace out.jsonl` lands where the user expects. Other scripts are left alone:
 * they may have changed directory on purpose.
 */
function invocationDirectory(): string {
  const env = process.env;
  const ownScript =
    env.npm_package_name === "@lab/raft" &&
    (env.npm_lifecycle_event === "stress" || env.npm_lifecycle_event === "trace");
  return ownScript && env.INIT_CWD ? env.INIT_CWD : process.cwd();
}
