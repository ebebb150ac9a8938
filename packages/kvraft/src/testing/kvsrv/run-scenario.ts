import type { Tracer } from "@lab/labrpc";
import type { ArtifactWriter } from "../artifacts.js";
import type { HeapProbe } from "../heap-probe.js";
import { ScenarioFailure } from "../scenario-failure.js";
import type { ScenarioRunResult } from "../scenario-result.js";
import { KvsrvHarness, type KvsrvServerFactory } from "./kvsrv-harness.js";
import type { KvsrvScenario } from "./scenarios/types.js";

/** Options of {@link runKvsrvScenario}. */
export interface KvsrvRunOptions {
  readonly seed: number;
  /** Records the run's trace. */
  readonly tracer?: Tracer;
  /** Keeps the HTML report of a history that is not linearizable. */
  readonly artifacts?: ArtifactWriter;
  /** Needed by memory scenarios. */
  readonly heap?: HeapProbe;
  /** The server under test (default: this package's `KvServer`). */
  readonly server?: KvsrvServerFactory;
}

/** The outcome of one kvsrv scenario run: always with the figures it measured. */
export interface KvsrvRunResult extends ScenarioRunResult {
  readonly figures: Readonly<Record<string, number>>;
}

/**
 * Runs one scenario on a fresh harness made from `seed`. Never throws for a scenario failure:
 * the result carries it, so a stress runner can count and report. Programming errors (a memory
 * scenario without a heap probe) are thrown.
 */
export async function runKvsrvScenario(
  scenario: KvsrvScenario,
  options: KvsrvRunOptions,
): Promise<KvsrvRunResult> {
  const h = new KvsrvHarness({
    seed: options.seed,
    unreliable: scenario.unreliable,
    name: `kvsrv-${scenario.name}`,
    ...(options.tracer === undefined ? {} : { tracer: options.tracer }),
    ...(options.artifacts === undefined ? {} : { artifacts: options.artifacts }),
    ...(options.server === undefined ? {} : { server: options.server }),
  });
  const figures: Record<string, number> = {};
  let failure: ScenarioFailure | undefined;
  try {
    await scenario.run(h, {
      heap: options.heap,
      figure: (name, value) => {
        figures[name] = value;
      },
    });
  } catch (error) {
    if (!(error instanceof ScenarioFailure)) throw error;
    failure = error;
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
    figures,
  };
}
