import type { Entry, HardState, Snapshot } from "../core/types.js";

/** Everything a peer persisted, to restart from. */
export interface StoredState {
  readonly hardState: HardState;
  readonly snapshot?: Snapshot | undefined;
  /** Entries after the snapshot, contiguous, in index order. */
  readonly entries: readonly Entry[];
}

/**
 * One durable change. Applied in this order: the hard state; the snapshot (which drops every
 * stored entry at or below its index); the entries (the stored log is truncated at
 * `entries.from`, then `entries.entries` are appended).
 */
export interface StorageUpdate {
  readonly hardState?: HardState;
  readonly snapshot?: Snapshot;
  readonly entries?: { readonly from: number; readonly entries: readonly Entry[] };
}

/**
 * Where a Raft peer keeps its state (DESIGN principle 5). `persist` makes an update durable:
 * when it returns (or its promise resolves) the update survives a crash. Implementations:
 * {@link MemoryStorage} for the simulator, {@link PersisterStorage} for the course's Persister.
 */
export interface Storage {
  /** The state persisted so far (read once, when a peer starts). */
  initialState(): StoredState;
  /** Makes `update` durable; may return a promise that resolves once it is. */
  persist(update: StorageUpdate): void | Promise<void>;
  /** Bytes of persisted Raft state (hard state and log), for the course's size checks. */
  raftStateSize(): number;
  /** Bytes of the persisted snapshot. */
  snapshotSize(): number;
}
