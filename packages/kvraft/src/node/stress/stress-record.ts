import type { StressRunResult } from "./stress-suite.js";

/** One scenario run as the stress command reports it (and as child processes send it, as JSON). */
export interface StressRecord {
  readonly scenario: string;
  readonly seed: number;
  readonly ok: boolean;
  /** The failure message (it names the seed and the virtual time). */
  readonly failure?: string;
  readonly virtualMs: number;
  readonly rpcs: number;
  readonly bytes: number;
  readonly operations: number;
  readonly notes: readonly string[];
  readonly figures: Readonly<Record<string, number>>;
  /** Wall-clock milliseconds the run took. */
  readonly realMs: number;
}

/** The record of a finished run. */
export function toRecord(result: StressRunResult, realMs: number): StressRecord {
  return {
    scenario: result.scenario,
    seed: result.seed,
    ok: result.ok,
    ...(result.failure === undefined ? {} : { failure: result.failure.message }),
    virtualMs: result.virtualMs,
    rpcs: result.rpcs,
    bytes: result.bytes,
    operations: result.operations,
    notes: result.notes,
    figures: result.figures ?? {},
    realMs: Math.round(realMs),
  };
}

/** Reads a record a child process printed; `undefined` for a line that is not one. */
export function parseRecord(line: string): StressRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const r = value as Partial<StressRecord>;
  return typeof r.scenario === "string" && typeof r.seed === "number" && typeof r.ok === "boolean"
    ? (r as StressRecord)
    : undefined;
}
