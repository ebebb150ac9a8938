import { HistoryParseError, InvalidOptionError } from "../errors.js";
import type { Operation } from "../history.js";
import type { BuiltinModelName } from "../model.js";
import { isBuiltinModelName } from "../models/builtin-models.js";
import type { EtcdInput, EtcdOutput } from "../models/etcd-model.js";
import type { KvInput, KvOutput } from "../models/kv-model.js";
import type { RegisterInput, RegisterOutput, RegisterValue } from "../models/register-model.js";
import { etcdJsonCodec, kvJsonCodec, registerJsonCodec } from "./builtin-codecs.js";
import { parseJepsenEtcdLog } from "./parse-jepsen-etcd-log.js";
import { parseJsonLines, readJsonLinesHeader } from "./parse-json-lines.js";
import { parseKvLog } from "./parse-kv-log.js";
import { nonBlankLines } from "./split-lines.js";

/** The history file formats the package reads. */
export type HistoryFormat = "porcupine-kv" | "jepsen-etcd" | "jsonl";

/** Names accepted where a format is asked for: a format, or `auto` to detect it. */
export const HISTORY_FORMATS: readonly (HistoryFormat | "auto")[] = [
  "auto",
  "porcupine-kv",
  "jepsen-etcd",
  "jsonl",
];

/** A parsed history with the built-in model it is meant for. */
export type LoadedHistory =
  | {
      readonly format: HistoryFormat;
      readonly model: "kv";
      readonly operations: Operation<KvInput, KvOutput>[];
    }
  | {
      readonly format: HistoryFormat;
      readonly model: "etcd";
      readonly operations: Operation<EtcdInput, EtcdOutput>[];
    }
  | {
      readonly format: HistoryFormat;
      readonly model: "register";
      readonly initial: RegisterValue | undefined;
      readonly operations: Operation<RegisterInput, RegisterOutput>[];
    };

/** Options of {@link parseHistory}. */
export interface ParseHistoryOptions {
  /** Name used in error messages. Default `"<input>"`. */
  readonly file?: string;
  /** The format, or `"auto"` (the default) to detect it from the first line. */
  readonly format?: HistoryFormat | "auto";
  /** The model; by default the format's own (kv, etcd) or the JSON-lines header's. */
  readonly model?: BuiltinModelName;
}

/**
 * Tells the format of a history from its first non-blank line: an EDN map (`{:`) is the kv
 * format, a `jepsen.util` log line is the Jepsen etcd format, a JSON object is JSON lines.
 */
export function detectFormat(text: string, file = "<input>"): HistoryFormat {
  const first = nonBlankLines(text)[0];
  if (first === undefined)
    throw new HistoryParseError(file, 1, "the history is empty: no operations to check");
  const line = first.text.trimStart();
  if (line.startsWith("{:")) return "porcupine-kv";
  if (/^INFO\s+jepsen\.util\s/.test(line)) return "jepsen-etcd";
  if (line.startsWith("{")) return "jsonl";
  throw new HistoryParseError(
    file,
    first.line,
    "unrecognised history format: expected a kv EDN map, a Jepsen 'INFO  jepsen.util' line or a JSON object",
  );
}

/**
 * Parses a history file in any supported format and pairs it with its model.
 * Throws {@link HistoryParseError} (with file and line) for bad input, and
 * {@link InvalidOptionError} when the asked model cannot read the format.
 */
export function parseHistory(text: string, options: ParseHistoryOptions = {}): LoadedHistory {
  const file = options.file ?? "<input>";
  const format =
    !options.format || options.format === "auto" ? detectFormat(text, file) : options.format;
  const fixed = (own: BuiltinModelName): void => {
    if (options.model !== undefined && options.model !== own) {
      throw new InvalidOptionError(
        `the ${format} format records ${own} operations; model ${options.model} cannot check it`,
      );
    }
  };
  switch (format) {
    case "porcupine-kv":
      fixed("kv");
      return { format, model: "kv", operations: parseKvLog(text, file) };
    case "jepsen-etcd":
      fixed("etcd");
      return { format, model: "etcd", operations: parseJepsenEtcdLog(text, file) };
    case "jsonl": {
      const header = readJsonLinesHeader(text, file);
      const named = header?.model;
      if (named !== undefined && !isBuiltinModelName(named)) {
        throw new HistoryParseError(
          file,
          1,
          `unknown model ${JSON.stringify(named)}; expected kv, etcd or register`,
        );
      }
      if (named !== undefined && options.model !== undefined && named !== options.model) {
        throw new InvalidOptionError(
          `${file} is a ${named} history; model ${options.model} cannot check it`,
        );
      }
      const model = options.model ?? named;
      if (model === undefined) {
        throw new HistoryParseError(
          file,
          1,
          'no model: start the file with a header like {"porcupine": 1, "model": "kv"} or pass a model',
        );
      }
      if (model === "kv")
        return { format, model, operations: parseJsonLines(text, kvJsonCodec, file) };
      if (model === "etcd")
        return { format, model, operations: parseJsonLines(text, etcdJsonCodec, file) };
      return {
        format,
        model,
        initial: header?.initial,
        operations: parseJsonLines(text, registerJsonCodec, file),
      };
    }
    default:
      throw new InvalidOptionError(
        `unknown format ${JSON.stringify(format)}; expected one of ${HISTORY_FORMATS.join(", ")}`,
      );
  }
}
