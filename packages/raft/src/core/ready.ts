import type { TransferResult } from "./leader-transfer.js";
import type { Message } from "./messages.js";
import type { ReadRequestId, ReadState } from "./read-only.js";
import type { Entry, HardState, Snapshot } from "./types.js";

/**
 * A batch of work from the core, in the order the driver must do it:
 * 1. persist `hardState`, `snapshot` and `entries` (the stored log is truncated at
 *    `entries.from`, then `entries.entries` appended; a snapshot drops the stored entries it
 *    covers);
 * 2. send `messages` (never before step 1: Figure 2 persists before responding);
 * 3. hand `snapshotToApply`, then `committed`, to the service, in order;
 * 4. call `core.advance(ready)`.
 *
 * With `asyncStorageWrites` (see `RaftCoreConfig`) step 1 may still be under way during steps
 * 2-4, unless `mustPersistBeforeSend`; once the update is durable the driver calls
 * `core.persisted(ready)` (Readies in order).
 *
 * `readStates`, `failedReads` and `transfers` report on reads and leadership transfers; they
 * need no persistence and may be acted on at any point.
 */
export interface Ready {
  readonly hardState?: HardState;
  readonly snapshot?: Snapshot;
  readonly entries: { readonly from: number; readonly entries: readonly Entry[] } | undefined;
  readonly messages: readonly Message[];
  /**
   * With `asyncStorageWrites`, false when `messages` may go out before this Ready's update is
   * durable (nothing in it raised the term, cast a vote or installs a snapshot); always true
   * otherwise. Committed entries never need to wait: they are durable here already.
   */
  readonly mustPersistBeforeSend: boolean;
  readonly snapshotToApply?: Snapshot;
  readonly committed: readonly Entry[];
  /**
   * Reads (`RaftCore.readIndex`) now confirmed, in the order they were asked: each may be
   * served once the service has applied the log through its `index`.
   */
  readonly readStates: readonly ReadState[];
  /** Reads that will never be confirmed: this peer stopped leading first. */
  readonly failedReads: readonly ReadRequestId[];
  /** Leadership transfers started by this peer that came to an end. */
  readonly transfers: readonly TransferResult[];
}
