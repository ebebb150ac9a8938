import type { CliIo } from "../../src/cli/cli-io.js";

/** A CliIo that keeps what a CLI prints, for in-process runs. */
export function captureIo(options: { cwd?: string; stdoutColumns?: number } = {}): CliIo & {
  readonly out: () => string;
  readonly err: () => string;
} {
  let out = "";
  let err = "";
  return {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    progressTerminal: undefined,
    stdoutColumns: options.stdoutColumns,
    cwd: options.cwd ?? process.cwd(),
    out: () => out,
    err: () => err,
  };
}
