import type { Tracer } from "@lab/labrpc";
import type { ArtifactWriter } from "../../testing/artifacts.js";
import type { HeapProbe } from "../../testing/heap-probe.js";
import { KVRAFT_READ_MODES, type KvraftReadMode } from "../../testing/kvraft/kvraft-harness.js";
import { runKvraftScenario } from "../../testing/kvraft/run-scenario.js";
import { findKvraftScenario, kvraftScenarios } from "../../testing/kvraft/scenarios/index.js";
import { runKvsrvScenario } from "../../testing/kvsrv/run-scenario.js";
import { findKvsrvScenario, kvsrvScenarios } from "../../testing/kvsrv/scenarios/index.js";
import type { ScenarioRunResult } from "../../testing/scenario-result.js";

/** A scenario as the stress command handles it. */
export interface StressScenario {
  readonly name: string;
  /** Measures real memory: needs a heap probe. */
  readonly memory?: boolean;
  /** The lab part, for `--part`. */
  readonly part?: string;
}

/** What one run reports, whichever suite it belongs to. */
export type StressRunResult = ScenarioRunResult;

/** What a run gets besides its scenario and seed. */
export interface StressRunOptions {
  readonly seed: number;
  readonly tracer?: Tracer;
  readonly artifacts: ArtifactWriter;
  readonly heap?: HeapProbe;
  /** How the servers serve Gets (`--reads`; only for a suite with `readModes`). */
  readonly reads?: KvraftReadMode;
}

/** A scenario suite the stress command can run: kvsrv (lab 2) or kvraft (lab 4). */
export interface StressSuite<S extends StressScenario = StressScenario> {
  /** The command's name, e.g. `kvsrv-stress`. */
  readonly command: string;
  /** The package script that runs it from the sources, e.g. `stress:kvsrv`. */
  readonly script: string;
  /** What the suite is, for the help text. */
  readonly title: string;
  readonly scenarios: readonly S[];
  readonly find: (name: string) => S | undefined;
  /** The values `--reads` accepts, the first the default; absent: the suite has no such choice. */
  readonly readModes?: readonly KvraftReadMode[];
  readonly run: (scenario: S, options: StressRunOptions) => Promise<StressRunResult>;
}

/** The course's kvsrv scenarios (lab 2). */
export const kvsrvSuite: StressSuite = {
  command: "kvsrv-stress",
  script: "stress:kvsrv",
  title: "the course's kvsrv scenarios (lab 2)",
  scenarios: kvsrvScenarios,
  find: findKvsrvScenario,
  run: (scenario, options) => {
    const found = findKvsrvScenario(scenario.name);
    if (found === undefined) throw new RangeError(`not a kvsrv scenario: ${scenario.name}`);
    return runKvsrvScenario(found, options);
  },
};

/** The course's kvraft scenarios (lab 4A and 4B). */
export const kvraftSuite: StressSuite = {
  command: "kvraft-stress",
  script: "stress:kvraft",
  title: "the course's kvraft scenarios (lab 4A and 4B)",
  scenarios: kvraftScenarios,
  find: findKvraftScenario,
  readModes: KVRAFT_READ_MODES,
  run: (scenario, options) => {
    const found = findKvraftScenario(scenario.name);
    if (found === undefined) throw new RangeError(`not a kvraft scenario: ${scenario.name}`);
    return runKvraftScenario(found, {
      seed: options.seed,
      artifacts: options.artifacts,
      ...(options.tracer === undefined ? {} : { tracer: options.tracer }),
      ...(options.reads === undefined ? {} : { reads: options.reads }),
    });
  },
};
