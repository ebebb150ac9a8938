import { HistoryParseError } from "../errors.js";
import { type Operation, UNKNOWN_OUTPUT } from "../history.js";
import type { EtcdInput, EtcdOutput } from "../models/etcd-model.js";
import { nonBlankLines } from "./split-lines.js";

const LINE = /^INFO\s+jepsen\.util\s+-\s+(\S+)\s+(\S+)\s+(\S+)\s+(.*?)\s*$/;
const INTEGER = /^-?\d+$/;
const PAIR = /^\[\s*(-?\d+)\s+(-?\d+)\s*\]$/;

/**
 * The integer `text` spells (already matched by {@link INTEGER}), or a parse error when it is
 * beyond `Number.MAX_SAFE_INTEGER` in magnitude: such a value would be rounded, and two
 * different values in the log could become one.
 */
function safeInteger(text: string, what: string, fail: (reason: string) => never): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value))
    fail(`${what} must be a safe integer (at most 2^53 - 1 in magnitude), got ${text}`);
  return value;
}

/**
 * Parses a Jepsen etcd log (`INFO  jepsen.util - <process> <type> <f> <value>` lines, fields
 * separated by tabs or spaces), as in Porcupine's `test_data/jepsen`.
 *
 * - `:invoke` opens an operation: `:read nil`, `:write N`, `:cas [A B]`.
 * - `:ok` completes it (a read's value is `nil` or N; a write and a CAS repeat their arguments).
 * - `:fail :cas [A B]`: the compare failed. `:fail :read ...` (a timeout): the read returns here
 *   with an unknown value. `:fail :write ...`: the write did not happen.
 * - `:info ...`: indeterminate (the client crashed or timed out): the operation stays open to the
 *   end of the history with an unknown outcome, and the process may invoke again.
 *
 * A completion belongs to the open invocation of the same process. Times are line numbers.
 * Values and process ids must be safe integers (at most 2^53 - 1 in magnitude).
 * Throws {@link HistoryParseError} with the line of any malformed or inconsistent entry.
 */
export function parseJepsenEtcdLog(
  text: string,
  file = "<input>",
): Operation<EtcdInput, EtcdOutput>[] {
  interface Open {
    readonly input: EtcdInput;
    readonly line: number;
    readonly process: string;
    output?: EtcdOutput;
    returned?: number;
  }
  const all: Open[] = [];
  const openByProcess = new Map<string, Open>();
  for (const { text: lineText, line } of nonBlankLines(text)) {
    const fail = (reason: string): never => {
      throw new HistoryParseError(file, line, reason);
    };
    const match = LINE.exec(lineText);
    if (!match)
      fail("not a Jepsen log line: expected 'INFO  jepsen.util - <process> <type> <f> <value>'");
    const [, process, type, f, value] = match as unknown as [
      string,
      string,
      string,
      string,
      string,
    ];
    if (!INTEGER.test(process)) fail(`process must be an integer, got ${JSON.stringify(process)}`);
    safeInteger(process, "process", fail);
    if (f !== ":read" && f !== ":write" && f !== ":cas")
      fail(`unknown operation ${JSON.stringify(f)}; expected :read, :write or :cas`);
    const open = openByProcess.get(process);
    if (type === ":invoke") {
      if (open)
        fail(
          `process ${process} invokes ${f} while its :${open.input.op} from line ${open.line} is still open`,
        );
      const op: Open = { input: parseInvocation(f, value, fail), line, process };
      all.push(op);
      openByProcess.set(process, op);
      continue;
    }
    if (type !== ":ok" && type !== ":fail" && type !== ":info") {
      fail(`unknown type ${JSON.stringify(type)}; expected :invoke, :ok, :fail or :info`);
    }
    if (!open)
      fail(
        `${type} ${f} for process ${process} without an open invocation (a return before its call)`,
      );
    const o = open as Open;
    if (`:${o.input.op}` !== f)
      fail(`${type} ${f} does not match the open :${o.input.op} from line ${o.line}`);
    openByProcess.delete(process);
    if (type === ":info") {
      o.output = UNKNOWN_OUTPUT;
      continue;
    }
    o.returned = line;
    if (type === ":fail") {
      if (o.input.op === "cas") sameArguments(o, value, fail);
      o.output = o.input.op === "read" ? UNKNOWN_OUTPUT : { type: "fail" };
      continue;
    }
    if (o.input.op === "read") {
      if (value === "nil") o.output = { type: "ok", value: null };
      else if (INTEGER.test(value))
        o.output = { type: "ok", value: safeInteger(value, ":ok :read's value", fail) };
      else fail(`:ok :read must carry nil or an integer, got ${JSON.stringify(value)}`);
    } else {
      sameArguments(o, value, fail);
      o.output = { type: "ok" };
    }
  }
  return all.map((o) => ({
    clientId: Number(o.process),
    input: o.input,
    call: o.line,
    output: o.output ?? UNKNOWN_OUTPUT,
    return: o.returned ?? Number.POSITIVE_INFINITY,
  }));
}

function parseInvocation(f: string, value: string, fail: (reason: string) => never): EtcdInput {
  if (f === ":read") {
    if (value !== "nil") fail(`:invoke :read must carry nil, got ${JSON.stringify(value)}`);
    return { op: "read" };
  }
  if (f === ":write") {
    if (!INTEGER.test(value))
      fail(`:invoke :write must carry an integer, got ${JSON.stringify(value)}`);
    return { op: "write", value: safeInteger(value, ":invoke :write's value", fail) };
  }
  const pair = PAIR.exec(value);
  if (!pair) fail(`:invoke :cas must carry [from to], got ${JSON.stringify(value)}`);
  const [, from, to] = pair as unknown as [string, string, string];
  return {
    op: "cas",
    from: safeInteger(from, ":invoke :cas's from", fail),
    to: safeInteger(to, ":invoke :cas's to", fail),
  };
}

function sameArguments(
  open: { readonly input: EtcdInput; readonly line: number },
  value: string,
  fail: (reason: string) => never,
): void {
  const input = open.input;
  const expected =
    input.op === "cas"
      ? `[${input.from} ${input.to}]`
      : input.op === "write"
        ? String(input.value)
        : "nil";
  const normalized = value.replace(/\s+/g, " ").replace(/\[ /, "[").replace(/ \]/, "]");
  if (normalized !== expected)
    fail(
      `completion value ${JSON.stringify(value)} differs from the invoked ${expected} (line ${open.line})`,
    );
}
