import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { checkOperations } from "../checker/check-operations.js";
import { isPorcupineError } from "../errors.js";
import {
  HISTORY_FORMATS,
  type HistoryFormat,
  type LoadedHistory,
  parseHistory,
} from "../formats/parse-history.js";
import type { Operation } from "../history.js";
import type { BuiltinModelName } from "../model.js";
import { BUILTIN_MODEL_NAMES, builtinModel, isBuiltinModelName } from "../models/builtin-models.js";
import { renderHtmlReport } from "../report/render-html-report.js";
import type { ReportInput } from "../report/report-data.js";
import { EXIT, exitCodeFor } from "./exit-codes.js";
import { USAGE } from "./usage.js";

/** Where the CLI reads and writes; injectable so tests can run it in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Promise<string>;
  writeFile(path: string, data: string): Promise<void>;
}

/** The real process's streams and file system. */
export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFile(path, "utf8"),
  writeFile: (path, data) => writeFile(path, data, "utf8"),
};

/** The JSON line `--json` prints for each checked file. */
export interface CliJsonLine {
  readonly file: string;
  readonly result: "ok" | "illegal" | "unknown";
  readonly operations: number;
  readonly partitions: number;
  readonly ms: number;
}

interface CheckCommand {
  readonly files: readonly string[];
  readonly model: BuiltinModelName | undefined;
  readonly format: HistoryFormat | "auto";
  readonly timeoutMs: number | undefined;
  readonly memoryLimitBytes: number | undefined;
  readonly html: string | undefined;
  readonly json: boolean;
}

class UsageError extends Error {}

/**
 * Runs the `porcupine` command line with `argv` (without the node and script paths) and returns
 * its exit code. Never throws for bad input: it reports on `stderr` and returns 3.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo = processIo,
  version = "0.0.0",
): Promise<number> {
  let command: CheckCommand | "help" | "version";
  try {
    command = parseCommand(argv);
  } catch (error) {
    io.stderr(`porcupine: ${(error as Error).message}\nRun 'porcupine --help' for usage.\n`);
    return EXIT.badInput;
  }
  if (command === "help") {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  if (command === "version") {
    io.stdout(`${version}\n`);
    return EXIT.ok;
  }
  return runCheck(command, io);
}

function parseCommand(argv: readonly string[]): CheckCommand | "help" | "version" {
  let parsed: ReturnType<typeof parseCheckArgs>;
  try {
    parsed = parseCheckArgs(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  if (values.version) return "version";
  const [subcommand, ...files] = positionals;
  if (subcommand === undefined) throw new UsageError("missing command: expected 'check'");
  if (subcommand === "help") return "help";
  if (subcommand !== "check")
    throw new UsageError(`unknown command ${JSON.stringify(subcommand)}: expected 'check'`);
  if (files.length === 0) throw new UsageError("check needs at least one FILE");
  const model = values.model;
  if (model !== undefined && !isBuiltinModelName(model)) {
    throw new UsageError(
      `unknown --model ${JSON.stringify(model)}: expected ${BUILTIN_MODEL_NAMES.join(", ")}`,
    );
  }
  const format = values.format ?? "auto";
  if (!(HISTORY_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(
      `unknown --format ${JSON.stringify(format)}: expected ${HISTORY_FORMATS.join(", ")}`,
    );
  }
  return {
    files,
    model,
    format: format as HistoryFormat | "auto",
    timeoutMs: positiveNumber(values.timeout, "--timeout", 1000, true),
    memoryLimitBytes: positiveNumber(values["memory-limit"], "--memory-limit", 1024 * 1024, false),
    html: values.html,
    json: values.json ?? false,
  };
}

function parseCheckArgs(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      model: { type: "string" },
      format: { type: "string" },
      timeout: { type: "string" },
      "memory-limit": { type: "string" },
      html: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
    },
  });
}

function positiveNumber(
  text: string | undefined,
  flag: string,
  scale: number,
  zeroAllowed: boolean,
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0 || (!zeroAllowed && value === 0)) {
    throw new UsageError(
      `${flag} needs a ${zeroAllowed ? "non-negative" : "positive"} number, got ${JSON.stringify(text)}`,
    );
  }
  return value * scale;
}

async function runCheck(command: CheckCommand, io: CliIo): Promise<number> {
  const outcomes: ("ok" | "illegal" | "unknown" | "error")[] = [];
  const reports: ReportInput<unknown, unknown, unknown>[] = [];
  for (const file of command.files) {
    let loaded: LoadedHistory;
    try {
      const text = await io.readFile(file);
      loaded = parseHistory(text, {
        file,
        format: command.format,
        ...(command.model ? { model: command.model } : {}),
      });
    } catch (error) {
      io.stderr(`porcupine: ${describeError(error, file)}\n`);
      outcomes.push("error");
      continue;
    }
    const model = builtinModel(
      loaded.model,
      loaded.model === "register" && loaded.initial !== undefined
        ? { initial: loaded.initial }
        : {},
    );
    const started = performance.now();
    const history: readonly Operation<unknown, unknown>[] = loaded.operations;
    const result = await checkOperations(model, history, {
      collectInfo: command.html !== undefined,
      ...(command.timeoutMs !== undefined ? { timeoutMs: command.timeoutMs } : {}),
      ...(command.memoryLimitBytes !== undefined
        ? { memoryLimitBytes: command.memoryLimitBytes }
        : {}),
    });
    const ms = Math.round((performance.now() - started) * 1000) / 1000;
    outcomes.push(result.result);
    reports.push({ name: file, model, history, result });
    if (command.json) {
      const line: CliJsonLine = {
        file,
        result: result.result,
        operations: result.operations,
        partitions: result.partitions.length,
        ms,
      };
      io.stdout(`${JSON.stringify(line)}\n`);
    } else {
      const verdict =
        result.result === "ok"
          ? "linearizable"
          : result.result === "illegal"
            ? "NOT linearizable"
            : `unknown (${result.reason ?? "timeout"})`;
      io.stdout(
        `${file}: ${verdict} (${result.operations} operations, ${result.partitions.length} partitions, ${ms} ms)\n`,
      );
    }
  }
  if (command.html !== undefined && reports.length > 0) {
    try {
      await io.writeFile(command.html, renderHtmlReport(reports));
    } catch (error) {
      io.stderr(
        `porcupine: cannot write the report ${command.html}: ${(error as Error).message}\n`,
      );
      outcomes.push("error");
    }
  }
  return exitCodeFor(outcomes);
}

function describeError(error: unknown, file: string): string {
  if (isPorcupineError(error)) return error.message;
  const code = (error as { code?: unknown }).code;
  if (code === "ENOENT") return `${file}: no such file`;
  if (code === "EISDIR") return `${file}: is a directory`;
  if (error instanceof Error) return `${file}: ${error.message}`;
  return `${file}: ${String(error)}`;
}
