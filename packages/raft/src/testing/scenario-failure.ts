import { LabError } from "@lab/labgob";
import type { Simulator } from "@lab/labrpc";

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

/**
 * Runs `body` to completion in `sim`'s virtual time (at most `timeoutMs` of it); any error
 * that is not already a {@link ScenarioFailure} becomes one, naming the seed and the time.
 */
export async function settleScenario(
  sim: Simulator,
  body: Promise<void>,
  timeoutMs: number,
): Promise<void> {
  try {
    await sim.settle(body, { timeoutMs });
  } catch (err) {
    if (err instanceof ScenarioFailure) throw err;
    throw new ScenarioFailure(
      sim.seed,
      sim.now(),
      err instanceof Error ? err.message : String(err),
      {
        cause: err,
      },
    );
  }
}
