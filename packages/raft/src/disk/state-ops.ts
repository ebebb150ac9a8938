import type { Entry } from "../core/types.js";
import type { MutableState } from "../storage/apply-update.js";
import type { StorageUpdate } from "../storage/storage.js";

/**
 * Why `update` does not fit `state` (its truncation point lies outside the log that the update's
 * snapshot, if any, leaves), or undefined when it fits. The same rule as `applyUpdate`, checked
 * without changing anything, so a refused update leaves the storage as it was.
 */
export function misfit(state: MutableState, update: StorageUpdate): string | undefined {
  if (update.entries === undefined) return undefined;
  let snapIndex = state.snapshot?.meta.index ?? 0;
  let length = state.entries.length;
  if (update.snapshot !== undefined) {
    const index = update.snapshot.meta.index;
    const first = state.entries[0]?.index ?? index + 1;
    const drop = Math.max(0, index + 1 - first);
    length = Math.max(0, length - drop);
    if (length > 0 && first + drop !== index + 1) length = 0;
    snapIndex = index;
  }
  const base = snapIndex + 1;
  const { from } = update.entries;
  const keep = from - base;
  if (keep < 0 || keep > length) {
    return `update truncates at ${from}, but the stored log spans ${base}..${base + length - 1}`;
  }
  return undefined;
}

/**
 * Bytes `entry` adds to the labgob encoding of the Raft state (`encodeStoredEntry(entry).length`,
 * computed without encoding): the repeated field's tag and length, then the entry message,
 * whose zero term, empty command and normal kind are omitted.
 */
export function storedEntrySize(entry: Entry): number {
  const n = entry.command.length;
  const body =
    (entry.term > 0 ? 1 + varintSize(entry.term) : 0) +
    (n > 0 ? 1 + varintSize(n) + n : 0) +
    (entry.kind === "config" ? 2 : 0);
  return 1 + varintSize(body) + body;
}

/** Bytes of `n` as a protobuf varint (any safe integer). */
export function varintSize(n: number): number {
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}
