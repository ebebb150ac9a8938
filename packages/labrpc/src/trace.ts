/**
 * One structured trace event (DESIGN principle 7). `time` is the clock's time in milliseconds,
 * `kind` a short stable name such as `"rpc.send"`; other fields are details, JSON-encodable.
 */
export interface TraceEvent {
  readonly time: number;
  readonly kind: string;
  readonly node?: string;
  readonly [detail: string]: unknown;
}

/** Where trace events go. Injected; the default discards them. */
export interface Tracer {
  /** False when events would be discarded, so callers can skip building them. */
  readonly enabled: boolean;
  record(event: TraceEvent): void;
}

/** A tracer that discards everything. */
export const noopTracer: Tracer = Object.freeze({ enabled: false, record() {} });

/** Keeps events as JSON lines in memory: for tests, determinism checks and trace files. */
export class MemoryTracer implements Tracer {
  readonly enabled = true;
  readonly lines: string[] = [];

  record(event: TraceEvent): void {
    this.lines.push(JSON.stringify(event));
  }

  /** The whole trace as JSON lines, each ending in a newline. */
  toJsonLines(): string {
    return this.lines.length === 0 ? "" : `${this.lines.join("\n")}\n`;
  }
}
