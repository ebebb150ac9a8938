import { writeFileSync } from "node:fs";
import { MemoryTracer } from "@lab/labrpc";
import type { ArtifactWriter } from "../../testing/artifacts.js";
import type { HeapProbe } from "../../testing/heap-probe.js";
import type { StressArgs } from "./stress-args.js";
import { type StressRecord, toRecord } from "./stress-record.js";
import type { StressScenario, StressSuite } from "./stress-suite.js";

/** One run to make. */
export interface PlannedRun {
  readonly scenario: StressScenario;
  readonly seed: number;
}

/** The runs the arguments ask for, scenario by scenario; a shard keeps every n-th one. */
export function planRuns(args: StressArgs): PlannedRun[] {
  const all = args.scenarios.flatMap((scenario) => args.seeds.map((seed) => ({ scenario, seed })));
  const shard = args.shard;
  return shard === undefined ? all : all.filter((_, i) => i % shard.count === shard.index);
}

/** Makes the runs one after another in this process, handing each record over as it is done. */
export async function runInProcess(
  suite: StressSuite,
  runs: readonly PlannedRun[],
  options: {
    readonly heap: HeapProbe | undefined;
    readonly artifacts: ArtifactWriter;
    readonly trace: string | undefined;
    readonly reads: StressArgs["reads"];
  },
  onRecord: (record: StressRecord) => void,
): Promise<void> {
  for (const { scenario, seed } of runs) {
    const tracer = options.trace === undefined ? undefined : new MemoryTracer();
    const started = performance.now();
    const result = await suite.run(scenario, {
      seed,
      artifacts: options.artifacts,
      ...(options.heap === undefined ? {} : { heap: options.heap }),
      ...(tracer === undefined ? {} : { tracer }),
      ...(options.reads === undefined ? {} : { reads: options.reads }),
    });
    const realMs = performance.now() - started;
    if (tracer !== undefined && options.trace !== undefined) {
      writeFileSync(options.trace, tracer.toJsonLines());
    }
    onRecord(toRecord(result, realMs));
  }
}
