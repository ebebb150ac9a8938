import { KvError } from "../errors.js";

/**
 * A simulated scenario failed a check. The message names the seed and the virtual time, so the
 * run can be replayed exactly from the seed alone.
 */
export class ScenarioFailure extends KvError {
  static override readonly code: string = "LAB_KV_SCENARIO_FAILURE";
  constructor(
    readonly seed: number,
    readonly virtualTimeMs: number,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${reason} (seed ${seed}, at ${virtualTimeMs} ms of virtual time)`, options);
  }
}
