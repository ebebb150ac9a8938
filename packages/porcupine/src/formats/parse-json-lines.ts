import { HistoryParseError } from "../errors.js";
import type { ClientId, Operation } from "../history.js";
import { isJsonObject, type JsonCodec, JsonShapeError } from "./json-codec.js";
import { nonBlankLines } from "./split-lines.js";

/** The optional first line of a JSON-lines history: `{"porcupine": 1, "model": "kv"}`. */
export interface JsonLinesHeader {
  /** Format version; 1. */
  readonly porcupine: 1;
  /** The model the history is meant for, e.g. `"kv"`, `"etcd"`, `"register"`. */
  readonly model?: string;
  /** Model options, e.g. the register's initial value. */
  readonly initial?: string | number | boolean | null;
}

/**
 * Reads the header line of a JSON-lines history, if its first non-blank line is one.
 * Throws {@link HistoryParseError} for a malformed header.
 */
export function readJsonLinesHeader(text: string, file = "<input>"): JsonLinesHeader | null {
  const first = nonBlankLines(text)[0];
  if (first === undefined) return null;
  const json = parseLine(first.text, file, first.line);
  if (!isJsonObject(json) || !("porcupine" in json)) return null;
  const fail = (reason: string): never => {
    throw new HistoryParseError(file, first.line, reason);
  };
  if (json.porcupine !== 1)
    fail(`unsupported format version ${JSON.stringify(json.porcupine)}; expected 1`);
  for (const key of Object.keys(json)) {
    if (!["porcupine", "model", "initial"].includes(key))
      fail(`unexpected header field ${JSON.stringify(key)}`);
  }
  if ("model" in json && typeof json.model !== "string")
    fail("header field model must be a string");
  const initial = json.initial;
  if (
    "initial" in json &&
    !(initial === null || ["string", "number", "boolean"].includes(typeof initial))
  ) {
    fail("header field initial must be a string, number, boolean or null");
  }
  return json as unknown as JsonLinesHeader;
}

/**
 * Parses our JSON-lines history format (specified in the README): an optional header line, then
 * one JSON object per line, each either a complete operation
 * `{"client": 1, "call": 10, "return": 12, "input": {...}, "output": {...}}` (no `return`, or
 * `null`, for an operation that never returned) or an event
 * `{"type": "call", "client": 1, "id": "a", "time": 10, "input": {...}}` /
 * `{"type": "return", "client": 1, "id": "a", "time": 12, "output": {...}}` (`time` defaults to
 * the line number). Inputs and outputs are read with `codec`. An operation that never returned
 * gets the output the codec reads from `{"type": "unknown"}`.
 * Throws {@link HistoryParseError} with the line of any malformed or inconsistent record.
 */
export function parseJsonLines<Input, Output>(
  text: string,
  codec: JsonCodec<Input, Output>,
  file = "<input>",
): Operation<Input, Output>[] {
  interface Pending {
    readonly clientId: ClientId;
    readonly input: Input;
    readonly call: number;
    readonly line: number;
    output?: Output;
    returned?: number;
  }
  const operations: Pending[] = [];
  const openById = new Map<string, Pending>();
  const lines = nonBlankLines(text);
  const hasHeader = lines.length > 0 && readJsonLinesHeader(text, file) !== null;
  for (const { text: lineText, line } of hasHeader ? lines.slice(1) : lines) {
    const fail = (reason: string): never => {
      throw new HistoryParseError(file, line, reason);
    };
    const take = <T>(value: T | JsonShapeError): T =>
      value instanceof JsonShapeError ? fail(value.message) : value;
    const record = parseLine(lineText, file, line);
    if (!isJsonObject(record)) fail("each line must be a JSON object");
    const r = record as Record<string, unknown>;
    if ("porcupine" in r) fail("a header line is only allowed as the first line");
    const client = r.client;
    if (typeof client !== "number" && typeof client !== "string")
      fail("client must be a number or a string");
    const clientId = client as ClientId;
    if (!("type" in r)) {
      allowOnly(r, ["client", "call", "return", "input", "output"], fail);
      const call = time(r.call, "call", fail);
      const input = take(codec.input(r.input));
      const op: Pending = { clientId, input, call, line };
      if (r.return === undefined || r.return === null) {
        if (r.output !== undefined) op.output = take(codec.output(r.output, input));
      } else {
        const ret = time(r.return, "return", fail);
        if (ret < call) fail(`return at ${ret} before the call at ${call}`);
        op.returned = ret;
        op.output = take(codec.output(r.output, input));
      }
      operations.push(op);
      continue;
    }
    const id = r.id;
    if (typeof id !== "number" && typeof id !== "string") fail("id must be a number or a string");
    const key = `${typeof id}:${String(id)}`;
    const at = r.time === undefined ? line : time(r.time, "time", fail);
    if (r.type === "call") {
      allowOnly(r, ["type", "client", "id", "time", "input"], fail);
      if (openById.has(key)) fail(`a second call with id ${JSON.stringify(id)}`);
      const op: Pending = { clientId, input: take(codec.input(r.input)), call: at, line };
      operations.push(op);
      openById.set(key, op);
    } else if (r.type === "return") {
      allowOnly(r, ["type", "client", "id", "time", "output"], fail);
      const op = openById.get(key);
      if (op === undefined)
        fail(
          `return of id ${JSON.stringify(id)} without an earlier call (a return before its call)`,
        );
      const o = op as Pending;
      if (o.returned !== undefined) fail(`a second return for id ${JSON.stringify(id)}`);
      if (o.clientId !== clientId)
        fail(
          `return from client ${JSON.stringify(clientId)} for a call of client ${JSON.stringify(o.clientId)} (line ${o.line})`,
        );
      if (at < o.call) fail(`return at ${at} before its call at ${o.call} (line ${o.line})`);
      o.output = take(codec.output(r.output, o.input));
      o.returned = at;
    } else {
      fail(`type must be "call" or "return", got ${JSON.stringify(r.type)}`);
    }
  }
  return operations.map((op) => {
    let output = op.output;
    if (output === undefined) {
      const unknown = codec.output({ type: "unknown" }, op.input);
      if (unknown instanceof JsonShapeError) {
        throw new HistoryParseError(
          file,
          op.line,
          `the operation never returned, and its model has no unknown output: ${unknown.message}`,
        );
      }
      output = unknown;
    }
    return {
      clientId: op.clientId,
      input: op.input,
      call: op.call,
      output,
      return: op.returned ?? Number.POSITIVE_INFINITY,
    };
  });
}

function parseLine(text: string, file: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new HistoryParseError(file, line, `invalid JSON: ${(cause as Error).message}`, { cause });
  }
}

function time(value: unknown, name: string, fail: (reason: string) => never): number {
  if (typeof value !== "number" || !Number.isFinite(value))
    return fail(`${name} must be a finite number`);
  return value;
}

function allowOnly(
  record: Record<string, unknown>,
  allowed: readonly string[],
  fail: (reason: string) => never,
): void {
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) fail(`unexpected field ${JSON.stringify(key)}`);
  }
}
