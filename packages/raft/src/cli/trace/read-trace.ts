import { UsageError } from "../exit-codes.js";

/** One event of a trace file, checked: the fields the reader relies on have their types. */
export interface TraceRecord {
  readonly time: number;
  readonly kind: string;
  readonly node: string | undefined;
  readonly term: number | undefined;
  readonly role: string | undefined;
  /** Every other field, in the file's order. */
  readonly details: Readonly<Record<string, unknown>>;
  /** The line as it was in the file (for `--json`). */
  readonly text: string;
  /** 1-based line number in the file. */
  readonly line: number;
}

/** A trace line that is not a trace event; the message names the source and line. */
export class TraceInputError extends UsageError {
  constructor(
    readonly source: string,
    readonly line: number,
    problem: string,
  ) {
    super(`${source}:${line}: ${problem}`);
  }
}

/**
 * Parses a JSON-lines trace (labrpc's `MemoryTracer` format). Blank lines are skipped; any other
 * line must be a JSON object with a numeric `time` and a string `kind`, and, when present, a
 * string `node`, a numeric `term` and a string `role`. Throws {@link TraceInputError} at the
 * first line that is not.
 */
export function readTrace(text: string, source: string): TraceRecord[] {
  const records: TraceRecord[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, "");
    if (raw.trim() === "") continue;
    records.push(readLine(raw, source, i + 1));
  }
  return records;
}

function readLine(text: string, source: string, line: number): TraceRecord {
  const fail = (problem: string): never => {
    throw new TraceInputError(source, line, problem);
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail(`not JSON (${(error as Error).message})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail("not a trace event: expected a JSON object");
  }
  const { time, kind, node, term, role, ...details } = value as Record<string, unknown>;
  if (typeof time !== "number" || !Number.isFinite(time)) {
    fail(time === undefined ? 'missing "time"' : '"time" must be a number (milliseconds)');
  }
  if (typeof kind !== "string" || kind === "") {
    fail(kind === undefined ? 'missing "kind"' : '"kind" must be a non-empty string');
  }
  if (node !== undefined && typeof node !== "string") fail('"node" must be a string');
  if (term !== undefined && typeof term !== "number") fail('"term" must be a number');
  if (role !== undefined && typeof role !== "string") fail('"role" must be a string');
  return {
    time: time as number,
    kind: kind as string,
    node: node as string | undefined,
    term: term as number | undefined,
    role: role as string | undefined,
    details,
    text,
    line,
  };
}
