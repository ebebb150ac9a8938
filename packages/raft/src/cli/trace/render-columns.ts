import { formatEvent } from "./format-event.js";
import type { TraceRecord } from "./read-trace.js";

/** Heading of the column for events that belong to no node (network, harness). */
export const OTHER_COLUMN = "other";
const SEPARATOR = " | ";
/** No column gets narrower than this, even when that overflows the requested width. */
const MIN_COLUMN_WIDTH = 12;

/**
 * Lays events out in columns: time (ms) at the left, one column per node (numeric names in
 * numeric order), then a column for events without a node if there are any. Each event gets its
 * own row(s), in trace order, in its node's column; text longer than the column wraps onto
 * following rows. Columns share the `width` evenly. Returns the lines, without newlines.
 */
export function renderColumns(events: readonly TraceRecord[], width: number): string[] {
  const nodes = nodeOrder(events);
  const headings = events.some((e) => e.node === undefined) ? [...nodes, OTHER_COLUMN] : nodes;
  const timeWidth = Math.max(2, ...events.map((e) => String(e.time).length));
  const columns = Math.max(1, headings.length);
  const spare = width - timeWidth - SEPARATOR.length * columns;
  const columnWidth = Math.max(MIN_COLUMN_WIDTH, Math.floor(spare / columns));

  // A row stops after its event's cell: no run of empty cells to the right.
  const row = (time: string, column: number, text: string): string => {
    const cells = headings.slice(0, column).map(() => "".padEnd(columnWidth));
    return [time.padStart(timeWidth), ...cells, text].join(SEPARATOR).trimEnd();
  };
  const lines = [
    ["ms".padStart(timeWidth), ...headings.map((h) => h.padEnd(columnWidth))]
      .join(SEPARATOR)
      .trimEnd(),
    ["-".repeat(timeWidth), ...headings.map(() => "-".repeat(columnWidth))].join("-+-"),
  ];
  for (const event of events) {
    const column = headings.indexOf(event.node ?? OTHER_COLUMN);
    wrap(formatEvent(event), columnWidth).forEach((piece, i) => {
      lines.push(row(i === 0 ? String(event.time) : "", column, piece));
    });
  }
  return lines;
}

/** Node names: the numeric ones in numeric order, then the rest in string order. */
function nodeOrder(events: readonly TraceRecord[]): string[] {
  const names = new Set<string>();
  for (const e of events) if (e.node !== undefined) names.add(e.node);
  const numeric = (s: string) => /^\d+$/.test(s);
  return [...names].sort((a, b) => {
    if (numeric(a) && numeric(b)) return Number(a) - Number(b);
    if (numeric(a) !== numeric(b)) return numeric(a) ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

/** Splits text into pieces of at most `width`, at spaces when it can. */
export function wrap(text: string, width: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > width) {
    const space = rest.lastIndexOf(" ", width);
    const cut = space > 0 ? space : width;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(space > 0 ? cut + 1 : cut);
  }
  pieces.push(rest);
  return pieces;
}
