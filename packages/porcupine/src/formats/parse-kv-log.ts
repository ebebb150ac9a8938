import { HistoryParseError } from "../errors.js";
import { type Operation, UNKNOWN_OUTPUT } from "../history.js";
import type { KvInput, KvOutput } from "../models/kv-model.js";
import { type EdnValue, parseEdnMap } from "./edn-map.js";
import { nonBlankLines } from "./split-lines.js";

/**
 * Parses the course's kv history format (Porcupine's `test_data/kv`): one EDN map per line,
 * `{:process P, :type :invoke|:ok|:fail|:info, :f :get|:put|:append, :key "K", :value "V"|nil}`.
 * A completion belongs to the open invocation of the same process. `:fail` means the operation
 * did not happen (it is dropped); `:info`, or no completion before the end of the file, means
 * its outcome is unknown (it never returned). Times are line numbers.
 * Throws {@link HistoryParseError} with the line of any malformed or inconsistent entry.
 */
export function parseKvLog(text: string, file = "<input>"): Operation<KvInput, KvOutput>[] {
  interface Open {
    readonly input: KvInput;
    readonly line: number;
    readonly process: number;
    output?: KvOutput;
    returned?: number;
    dropped?: boolean;
  }
  const all: Open[] = [];
  const openByProcess = new Map<number, Open>();
  for (const { text: lineText, line } of nonBlankLines(text)) {
    const fail = (reason: string): never => {
      throw new HistoryParseError(file, line, reason);
    };
    const map = parseEdnMap(lineText);
    if (typeof map === "string") fail(`malformed kv entry: ${map}`);
    const entry = map as Map<string, EdnValue>;
    const process = entry.get("process");
    if (typeof process !== "number") fail("missing or non-integer :process");
    const type = keyword(entry.get("type"));
    const f = keyword(entry.get("f"));
    const key = entry.get("key");
    const value = entry.get("value");
    if (f !== "get" && f !== "put" && f !== "append")
      fail(`unknown operation :f ${describe(entry.get("f"))}`);
    if (typeof key !== "string") fail(`:key must be a string, got ${describe(key)}`);
    const p = process as number;
    const k = key as string;
    const open = openByProcess.get(p);
    switch (type) {
      case "invoke": {
        if (open)
          fail(
            `process ${p} invokes :${f} while its :${open.input.op} from line ${open.line} is still open`,
          );
        let input: KvInput;
        if (f === "get") input = { op: "get", key: k };
        else {
          if (typeof value !== "string")
            fail(`:${f} must carry a string :value, got ${describe(value)}`);
          input = { op: f as "put" | "append", key: k, value: value as string };
        }
        const op: Open = { input, line, process: p };
        all.push(op);
        openByProcess.set(p, op);
        break;
      }
      case "ok":
      case "fail":
      case "info": {
        if (!open)
          fail(`:${type} for process ${p} without an open invocation (a return before its call)`);
        const o = open as Open;
        if (o.input.op !== f || o.input.key !== k) {
          fail(
            `:${type} :${f} of key ${JSON.stringify(k)} does not match the open :${o.input.op} of key ${JSON.stringify(o.input.key)} from line ${o.line}`,
          );
        }
        openByProcess.delete(p);
        if (type === "fail") {
          o.dropped = true;
        } else if (type === "info") {
          o.output = UNKNOWN_OUTPUT;
        } else if (f === "get") {
          if (typeof value !== "string")
            fail(`:ok :get must carry the string read, got ${describe(value)}`);
          o.output = { type: "ok", value: value as string };
          o.returned = line;
        } else {
          if (value !== (o.input as { value: string }).value) {
            fail(
              `:ok :${f} value ${describe(value)} differs from the invoked ${describe((o.input as { value: string }).value)} (line ${o.line})`,
            );
          }
          o.output = { type: "ok" };
          o.returned = line;
        }
        break;
      }
      default:
        fail(`unknown :type ${describe(entry.get("type"))}; expected :invoke, :ok, :fail or :info`);
    }
  }
  return all
    .filter((o) => !o.dropped)
    .map((o) => ({
      clientId: o.process,
      input: o.input,
      call: o.line,
      output: o.output ?? UNKNOWN_OUTPUT,
      return: o.returned ?? Number.POSITIVE_INFINITY,
    }));
}

function keyword(value: EdnValue | undefined): string | undefined {
  return typeof value === "object" && value !== null ? value.keyword : undefined;
}

function describe(value: EdnValue | undefined): string {
  if (value === undefined) return "(missing)";
  if (value === null) return "nil";
  if (typeof value === "object") return `:${value.keyword}`;
  return JSON.stringify(value);
}
