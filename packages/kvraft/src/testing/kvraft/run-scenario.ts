import type { Tracer } from "@lab/labrpc";
import type { ArtifactWriter } from "../artifacts.js";
import { ScenarioFailure } from "../scenario-failure.js";
import type { ScenarioRunResult } from "../scenario-result.js";
import { KvraftHarness, type KvraftPeerFactory, type KvraftReadMode } from "./kvraft-harness.js";
import type { KvraftScenario } from "./scenarios/types.js";

/** Options of {@link runKvraftScenario}. */
export interface KvraftRunOptions {
  readonly seed: number;
  /** Records the run's trace. */
  readonly tracer?: Tracer;
  /** Keeps the HTML report of a history that is not linearizable. */
  readonly artifacts?: ArtifactWriter;
  /** The server under test (default: this package's `KvRaftServer`). */
  readonly peerFactory?: KvraftPeerFactory;
  /** How the default servers serve Gets (default `"read-index"`). */
  readonly reads?: KvraftReadMode;
}

/** The outcome of one kvraft scenario run. */
export type KvraftRunResult = ScenarioRunResult;

/**
 * Runs one scenario on a fresh harness made from `seed`. Never throws for a scenario failure:
 * the result carries it, so a stress runner can count and report.
 */
export async function runKvraftScenario(
  scenario: KvraftScenario,
  options: KvraftRunOptions,
): Promise<KvraftRunResult> {
  const h = new KvraftHarness({
    ...scenario.cluster,
    seed: options.seed,
    name: `kvraft-${scenario.name.replace("/", "-")}`,
    ...(options.tracer === undefined ? {} : { tracer: options.tracer }),
    ...(options.artifacts === undefined ? {} : { artifacts: options.artifacts }),
    ...(options.peerFactory === undefined ? {} : { peerFactory: options.peerFactory }),
    ...(options.reads === undefined ? {} : { reads: options.reads }),
  });
  let failure: ScenarioFailure | undefined;
  try {
    await scenario.run(h);
  } catch (error) {
    if (!(error instanceof ScenarioFailure)) throw error;
    failure = error;
  } finally {
    h.cleanup();
  }
  return {
    scenario: scenario.name,
    seed: options.seed,
    ok: failure === undefined,
    ...(failure === undefined ? {} : { failure }),
    virtualMs: h.sim.now(),
    rpcs: h.rpcTotal(),
    bytes: h.bytesTotal(),
    operations: h.history.length,
    notes: h.notes,
  };
}
