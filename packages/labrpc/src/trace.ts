/**
 * One structured trace event (DESIGN principle 7). `time` is the clock's time in milliseconds,
 * `kind` a short stable name such as `"rpc.send"`; other fields are details, JSON-encodable.
 */
export interface TraceEvent {
  /** Time of the event on the recording clock, in milliseconds (virtual in the simulator). */
  readonly time: number;
  /** Short stable name of what happened, dotted by area, e.g. `"rpc.send"`. */
  readonly kind: string;
  /** The node (server, peer or end) the event happened at, when there is one. */
  readonly node?: string;
  /** Further details of the event; JSON-encodable values. */
  readonly [detail: string]: unknown;
}

/** Where trace events go. Injected; the default discards them. */
export interface Tracer {
  /** False when events would be discarded, so callers can skip building them. */
  readonly enabled: boolean;
  /** Takes one event; called in the order events happen. */
  record(event: TraceEvent): void;
}

/** A tracer that discards everything. */
export const noopTracer: Tracer = Object.freeze({ enabled: false, record() {} });

/** Keeps events as JSON lines in memory: for tests, determinism checks and trace files. */
export class MemoryTracer implements Tracer {
  readonly enabled = true;
  /** The events recorded so far, one `JSON.stringify`d event per entry, in order. */
  readonly lines: string[] = [];

  record(event: TraceEvent): void {
    this.lines.push(JSON.stringify(event));
  }

  /** The whole trace as JSON lines, each ending in a newline. */
  toJsonLines(): string {
    return this.lines.length === 0 ? "" : `${this.lines.join("\n")}\n`;
  }
}
