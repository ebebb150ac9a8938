import { LabError } from "@lab/labgob";

/**
 * A simulated scenario failed. The message names the seed and the virtual time, so the run
 * can be replayed exactly (with a trace) from the seed alone.
 */
export class ScenarioFailure extends LabError {
  static override readonly code: string = "LAB_RAFT_SCENARIO_FAILURE";
  constructor(
    readonly seed: number,
    readonly virtualTimeMs: number,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${reason} (seed ${seed}, at ${virtualTimeMs} ms of virtual time)`, options);
  }
}
