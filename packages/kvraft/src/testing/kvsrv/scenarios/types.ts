import type { HeapProbe } from "../../heap-probe.js";
import type { KvsrvHarness } from "../kvsrv-harness.js";

/** What a scenario gets besides its harness. */
export interface ScenarioContext {
  /** Measures memory; memory scenarios fail with `HeapProbeUnavailableError` without one. */
  readonly heap: HeapProbe | undefined;
  /** Records a figure the scenario measured (a heap growth, a limit), for reports. */
  figure(name: string, value: number): void;
}

/**
 * One scenario of the course's kvsrv suite: a harness configuration and a script that drives it
 * in virtual time and fails (through `harness.fail`/`check`) when a check does not hold.
 */
export interface KvsrvScenario {
  /** Stable identifier used on the command line, e.g. `UnreliableOneKey`. */
  readonly name: string;
  /** What the scenario exercises, in a few words. */
  readonly title: string;
  /** Lossy network from the start. */
  readonly unreliable: boolean;
  /** Measures real memory: needs a {@link HeapProbe}, and runs best alone in its process. */
  readonly memory: boolean;
  /** The scenario body. It calls `harness.run` for the parts that run in virtual time. */
  readonly run: (harness: KvsrvHarness, context: ScenarioContext) => Promise<void>;
}
