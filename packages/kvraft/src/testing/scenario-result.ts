import type { ScenarioFailure } from "./scenario-failure.js";

/** The outcome of one scenario run, kvsrv or kvraft. */
export interface ScenarioRunResult {
  readonly scenario: string;
  readonly seed: number;
  readonly ok: boolean;
  /** The failure, with seed and virtual time in its message, when `ok` is false. */
  readonly failure?: ScenarioFailure;
  /** Virtual milliseconds the scenario took. */
  readonly virtualMs: number;
  /** RPCs made and bytes carried by the network. */
  readonly rpcs: number;
  readonly bytes: number;
  /** Clerk operations recorded in the history. */
  readonly operations: number;
  /** Things worth telling that are not failures (an inconclusive linearizability check). */
  readonly notes: readonly string[];
  /** Figures the scenario measured, e.g. `heapGrowthBytes` and `limitBytes` (kvsrv memory). */
  readonly figures?: Readonly<Record<string, number>>;
}
