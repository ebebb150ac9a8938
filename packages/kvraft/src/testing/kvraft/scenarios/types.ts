import type { KvraftHarness, KvraftHarnessOptions } from "../kvraft-harness.js";

/** The course's parts of the kvraft lab. */
export type KvraftLabPart = "4A" | "4B";

/**
 * One scenario of the course's kvraft suite: a cluster shape and a script that drives it in
 * virtual time and fails (through `harness.fail`/`check`) when a check does not hold.
 */
export interface KvraftScenario {
  /** Stable identifier used on the command line, e.g. `4A/OnePartition`. */
  readonly name: string;
  readonly part: KvraftLabPart;
  /** What the scenario exercises, in the course's words. */
  readonly title: string;
  /** How the cluster is made: server count, reliability, `maxraftstate`. */
  readonly cluster: Pick<KvraftHarnessOptions, "n" | "unreliable" | "maxRaftState">;
  /** The scenario body. It calls `harness.run` for the parts that run in virtual time. */
  readonly run: (harness: KvraftHarness) => Promise<void>;
}
