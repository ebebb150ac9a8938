import type { Message } from "./messages.js";
import type { Entry, HardState, Snapshot } from "./types.js";

/**
 * A batch of work from the core, in the order the driver must do it:
 * 1. persist `hardState`, `snapshot` and `entries` (the stored log is truncated at
 *    `entries.from`, then `entries.entries` appended; a snapshot drops the stored entries it
 *    covers);
 * 2. send `messages` (never before step 1: Figure 2 persists before responding);
 * 3. hand `snapshotToApply`, then `committed`, to the service, in order;
 * 4. call `core.advance(ready)`.
 */
export interface Ready {
  readonly hardState?: HardState;
  readonly snapshot?: Snapshot;
  readonly entries: { readonly from: number; readonly entries: readonly Entry[] } | undefined;
  readonly messages: readonly Message[];
  readonly snapshotToApply?: Snapshot;
  readonly committed: readonly Entry[];
}
