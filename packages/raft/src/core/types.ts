/** A peer's identity: its index in the cluster's peer list, as in the course (`me`). */
export type PeerId = number;

/** One log entry. Index 0 never exists: the first entry has index 1, as in the paper. */
export interface Entry {
  readonly term: number;
  readonly index: number;
  /** The service's command, opaque to Raft. */
  readonly command: Uint8Array;
}

/** What Raft must persist before answering any RPC (Figure 2: currentTerm and votedFor). */
export interface HardState {
  readonly term: number;
  /** The candidate voted for in `term`, or `null`. */
  readonly votedFor: PeerId | null;
  /** Highest index known committed. Persisting it is an optimisation, not a rule of the paper. */
  readonly commit: number;
}

/** Which prefix of the log a snapshot replaces. */
export interface SnapshotMeta {
  /** Index of the last entry the snapshot covers (0: no snapshot). */
  readonly index: number;
  /** Term of that entry. */
  readonly term: number;
}

/** A service snapshot covering the log up to `meta.index`. */
export interface Snapshot {
  readonly meta: SnapshotMeta;
  readonly data: Uint8Array;
}

/** The role of a peer. */
export type Role = "follower" | "candidate" | "leader";

export const EMPTY_HARD_STATE: HardState = Object.freeze({ term: 0, votedFor: null, commit: 0 });
export const NO_SNAPSHOT_META: SnapshotMeta = Object.freeze({ index: 0, term: 0 });
