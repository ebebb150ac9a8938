import type { Configuration } from "./configuration.js";

/**
 * A peer's identity: its index in the cluster's peer list, as in the course (`me`). With
 * membership changes any non-negative integer, unique in the cluster.
 */
export type PeerId = number;

/**
 * What an entry holds: a service command (`normal`), or a cluster configuration (`config`,
 * whose command is the encoded {@link Configuration}, see `encodeConfiguration`).
 */
export type EntryKind = "normal" | "config";

/** One log entry. Index 0 never exists: the first entry has index 1, as in the paper. */
export interface Entry {
  readonly term: number;
  readonly index: number;
  /** The service's command, opaque to Raft (a config entry: the encoded configuration). */
  readonly command: Uint8Array;
  /** Absent for a normal entry (every entry before membership changes existed). */
  readonly kind?: EntryKind;
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
  /**
   * The cluster configuration in effect at `index`. Absent when the log up to it held no
   * config entry (then the peer's initial configuration holds), and for snapshots written
   * before membership changes existed.
   */
  readonly config?: Configuration;
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
