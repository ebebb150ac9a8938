import { parseArgs } from "node:util";
import { UsageError } from "../exit-codes.js";
import { parseInteger, parseNumber } from "../numbers.js";

/** Which events to keep; an absent field keeps everything. */
export interface TraceFilter {
  /** Keep events of these nodes (an event without a node does not match). */
  readonly nodes?: readonly string[];
  /** Keep events whose term is in `[min, max]` (an event without a term does not match). */
  readonly terms?: { readonly min: number; readonly max: number };
  /** Keep events whose kind starts with one of these (`rpc.` keeps every RPC event). */
  readonly kinds?: readonly string[];
  /** Keep events at or after this time (ms). */
  readonly from?: number;
  /** Keep events at or before this time (ms). */
  readonly to?: number;
}

/** A parsed `raft-trace` command line. */
export interface TraceCommand {
  readonly kind: "show";
  /** The trace file, or `-` for standard input. */
  readonly file: string;
  readonly filter: TraceFilter;
  /** Output width in characters; undefined fits the terminal. */
  readonly width: number | undefined;
  /** Print the matching events as JSON lines instead of columns. */
  readonly json: boolean;
}

/** Columns narrower than this cannot show an event usefully. */
export const MIN_WIDTH = 40;

/** Parses `raft-trace` arguments (without node and script paths); throws {@link UsageError}. */
export function parseTraceArgs(argv: readonly string[]): TraceCommand | { readonly kind: "help" } {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? "missing the trace FILE (use - for standard input)"
        : `expected one trace FILE, got ${positionals.length}: ${positionals.join(" ")}`,
    );
  }
  const from = values.from === undefined ? undefined : parseNumber("--from", values.from, 0);
  const to = values.to === undefined ? undefined : parseNumber("--to", values.to, 0);
  if (from !== undefined && to !== undefined && from > to) {
    throw new UsageError(`--from ${from} is after --to ${to}`);
  }
  const filter: TraceFilter = {
    ...(values.node !== undefined ? { nodes: list("--node", values.node) } : {}),
    ...(values.term !== undefined ? { terms: parseTermRange(values.term) } : {}),
    ...(values.kind !== undefined ? { kinds: list("--kind", values.kind) } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
  };
  return {
    kind: "show",
    file: positionals[0]!,
    filter,
    width:
      values.width === undefined ? undefined : parseInteger("--width", values.width, MIN_WIDTH),
    json: values.json ?? false,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      node: { type: "string" },
      term: { type: "string" },
      kind: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      width: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}

/** `a,b,c` → its non-empty items; a list with none is a usage error. */
function list(option: string, text: string): string[] {
  const items = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (items.length === 0) throw new UsageError(`${option}: expected a comma-separated list`);
  return items;
}

/** `5` or `3..7`. */
function parseTermRange(text: string): { min: number; max: number } {
  const [low, high, ...rest] = text.split("..");
  if (low === undefined || rest.length > 0) {
    throw new UsageError(`--term: expected a term or a range like 3..7, got "${text}"`);
  }
  const min = parseInteger("--term", low, 0);
  const max = high === undefined ? min : parseInteger("--term", high, 0);
  if (min > max) throw new UsageError(`--term: the range ${text} is empty`);
  return { min, max };
}
