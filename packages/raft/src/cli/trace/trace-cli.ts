import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { CliIo } from "../cli-io.js";
import { EXIT, UsageError } from "../exit-codes.js";
import { matchesFilter } from "./filter-trace.js";
import { readTrace } from "./read-trace.js";
import { renderColumns } from "./render-columns.js";
import { parseTraceArgs } from "./trace-args.js";
import { TRACE_USAGE } from "./trace-usage.js";

/** Output width when stdout is not a terminal and no --width is given. */
export const DEFAULT_WIDTH = 120;

/** Where the trace CLI reads its input; injectable so tests can feed it text. */
export interface TraceCliEnvironment {
  readonly io: CliIo;
  /** Reads a file (absolute path), or standard input for `-`. */
  readonly readText?: (path: string) => Promise<string>;
}

/**
 * Runs the `raft-trace` command line with `argv` (without node and script paths) and returns its
 * exit code: 0 printed, 3 bad usage or input (reported on stderr, with the line number).
 */
export async function runTraceCli(
  argv: readonly string[],
  env: TraceCliEnvironment,
): Promise<number> {
  const { io } = env;
  const readText = env.readText ?? readInput;
  try {
    const command = parseTraceArgs(argv);
    if (command.kind === "help") {
      io.stdout(TRACE_USAGE);
      return EXIT.ok;
    }
    const path = command.file === "-" ? "-" : resolve(io.cwd, command.file);
    let text: string;
    try {
      text = await readText(path);
    } catch (error) {
      throw new UsageError(`cannot read ${command.file}: ${(error as Error).message}`);
    }
    const events = readTrace(text, command.file === "-" ? "<stdin>" : command.file);
    const shown = events.filter((e) => matchesFilter(e, command.filter));
    if (command.json) {
      io.stdout(shown.map((e) => `${e.text}\n`).join(""));
      return EXIT.ok;
    }
    const width = command.width ?? io.stdoutColumns ?? DEFAULT_WIDTH;
    const lines = renderColumns(shown, width);
    lines.push(`${shown.length} of ${events.length} events`);
    io.stdout(`${lines.join("\n")}\n`);
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`raft-trace: ${error.message}\n`);
    return EXIT.usage;
  }
}

async function readInput(path: string): Promise<string> {
  if (path !== "-") return readFile(path, "utf8");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
