import type { Tracer } from "@lab/labrpc";
import { RaftCluster } from "../raft-cluster.js";
import type { RaftPeerFactory } from "../raft-peer.js";
import { ScenarioFailure } from "../scenario-failure.js";
import type { RaftScenario } from "./types.js";

export interface ScenarioRunOptions {
  readonly seed: number;
  /** Record the run's trace (time, node, term, role, kind, details). */
  readonly tracer?: Tracer;
  /** Run against this Raft instead of the package's (see {@link RaftPeerFactory}). */
  readonly peerFactory?: RaftPeerFactory;
  /** A slow disk for this package's Raft: see `RaftClusterOptions.syncDelayMs`. */
  readonly syncDelayMs?: number;
}

export interface ScenarioRunResult {
  readonly scenario: string;
  readonly seed: number;
  readonly ok: boolean;
  /** The failure, with seed and virtual time in its message, when `ok` is false. */
  readonly failure?: ScenarioFailure;
  /** Virtual milliseconds the scenario took. */
  readonly virtualMs: number;
  /** RPCs and bytes the network carried. */
  readonly rpcs: number;
  readonly bytes: number;
}

/**
 * Runs one scenario on a fresh cluster made from `seed`. Never throws for a scenario failure:
 * the result carries it, so a stress runner can count and report.
 */
export async function runScenario(
  scenario: RaftScenario,
  options: ScenarioRunOptions,
): Promise<ScenarioRunResult> {
  const cluster = new RaftCluster({
    ...scenario.cluster,
    seed: options.seed,
    ...(options.tracer ? { trace: options.tracer } : {}),
    ...(options.peerFactory ? { peerFactory: options.peerFactory } : {}),
    ...(options.syncDelayMs !== undefined ? { syncDelayMs: options.syncDelayMs } : {}),
  });
  let failure: ScenarioFailure | undefined;
  try {
    await cluster.run(scenario.run);
  } catch (err) {
    failure =
      err instanceof ScenarioFailure
        ? err
        : new ScenarioFailure(options.seed, cluster.sim.now(), String(err), { cause: err });
  }
  return {
    scenario: scenario.name,
    seed: options.seed,
    ok: failure === undefined,
    ...(failure ? { failure } : {}),
    virtualMs: cluster.sim.now(),
    rpcs: cluster.rpcTotal(),
    bytes: cluster.bytesTotal(),
  };
}
