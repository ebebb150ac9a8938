import type { Entry, HardState, Snapshot } from "../core/types.js";
import { EMPTY_HARD_STATE } from "../core/types.js";
import type { StorageUpdate, StoredState } from "./storage.js";
import { StorageCorruptError } from "./storage-errors.js";

/** A plain, mutable copy of stored state that updates are applied to. */
export interface MutableState {
  hardState: HardState;
  snapshot: Snapshot | undefined;
  entries: Entry[];
}

export function emptyState(): MutableState {
  return { hardState: EMPTY_HARD_STATE, snapshot: undefined, entries: [] };
}

export function cloneState(state: StoredState): MutableState {
  return {
    hardState: state.hardState,
    snapshot: state.snapshot,
    entries: [...state.entries],
  };
}

/** Applies `update` to `state` with the semantics of {@link StorageUpdate}. */
export function applyUpdate(state: MutableState, update: StorageUpdate): void {
  if (update.hardState !== undefined) state.hardState = update.hardState;
  if (update.snapshot !== undefined) {
    const { index } = update.snapshot.meta;
    state.snapshot = update.snapshot;
    const first = state.entries[0]?.index ?? index + 1;
    state.entries = state.entries.slice(Math.max(0, index + 1 - first));
    if (state.entries.length > 0 && (state.entries[0] as Entry).index !== index + 1)
      state.entries = [];
  }
  if (update.entries !== undefined) {
    const base = (state.snapshot?.meta.index ?? 0) + 1;
    const { from, entries } = update.entries;
    const keep = from - base;
    if (keep < 0 || keep > state.entries.length) {
      throw new StorageCorruptError(
        `update truncates at ${from}, but the stored log spans ${base}..${base + state.entries.length - 1}`,
      );
    }
    state.entries.length = keep;
    for (const e of entries) state.entries.push(e);
  }
}
