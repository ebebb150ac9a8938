import type { RaftCluster, RaftClusterOptions } from "../raft-cluster.js";

/** The course's parts of the Raft lab. */
export type RaftLabPart = "3A" | "3B" | "3C" | "3D";

/**
 * One scenario of the Raft lab suite: a cluster shape and a script that drives it in virtual
 * time and fails (through `cluster.fail` or a thrown error) when a check does not hold.
 */
export interface RaftScenario {
  /** Stable identifier used on the command line, e.g. `3B/backup`. */
  readonly name: string;
  readonly part: RaftLabPart;
  /** The course's printed test name, e.g. "leader backs up quickly over incorrect follower logs". */
  readonly title: string;
  /** How the cluster is made: server count, reliability, snapshot mode. */
  readonly cluster: Omit<RaftClusterOptions, "seed" | "trace">;
  /** The scenario body; it runs inside `cluster.run`, so it may await virtual sleeps. */
  readonly run: (cluster: RaftCluster) => Promise<void>;
}
