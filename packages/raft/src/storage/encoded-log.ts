import { invariant } from "../core/errors.js";
import type { Entry } from "../core/types.js";
import { encodeStoredEntry } from "./raft-state-codec.js";

/**
 * The log part of the persisted Raft state, kept encoded and updated entry by entry.
 *
 * The course's persister saves the whole Raft state on every change, so encoding every entry
 * again each time makes a save cost the length of the log: with a few thousand entries (the
 * churn tests) that was most of a run's time. Here each entry is encoded once, when it is
 * appended; a save then copies one block of bytes. The bytes are exactly those the full
 * encoder writes for the entries (a test compares them).
 */
export class EncodedLog {
  #bytes = new Uint8Array(4096);
  #end = 0;
  /** Where each entry's bytes start, in log order. */
  #starts: number[] = [];
  /** Index of the first entry held (meaningful only when some entry is held). */
  #firstIndex = 0;

  /** Number of entries held. */
  get length(): number {
    return this.#starts.length;
  }

  /** Index of the first entry held, or undefined when empty. */
  get firstIndex(): number | undefined {
    return this.#starts.length === 0 ? undefined : this.#firstIndex;
  }

  /** The encoded entries, as a view that stays valid only until the next change. */
  bytes(): Uint8Array {
    return this.#bytes.subarray(0, this.#end);
  }

  /** Appends entries that must follow the last one held. */
  append(entries: readonly Entry[]): void {
    for (const entry of entries) {
      if (this.#starts.length === 0) this.#firstIndex = entry.index;
      const expected = this.#firstIndex + this.#starts.length;
      invariant(
        entry.index === expected,
        () => `encoded log: entry ${entry.index} appended where ${expected} was due`,
      );
      const encoded = encodeStoredEntry(entry);
      this.#reserve(encoded.length);
      this.#bytes.set(encoded, this.#end);
      this.#starts.push(this.#end);
      this.#end += encoded.length;
    }
  }

  /** Drops every entry at `index` and after. */
  truncateFrom(index: number): void {
    const keep = Math.max(0, index - this.#firstIndex);
    if (keep >= this.#starts.length) return;
    this.#end = this.#starts[keep] as number;
    this.#starts.length = keep;
  }

  /** Drops every entry before `index` (a snapshot covers them). */
  discardBefore(index: number): void {
    const drop = Math.min(this.#starts.length, index - this.#firstIndex);
    if (drop <= 0) return;
    if (drop === this.#starts.length) {
      this.clear();
      return;
    }
    // Snapshots are rare next to appends: moving the rest down keeps saves a single copy.
    const from = this.#starts[drop] as number;
    this.#bytes.copyWithin(0, from, this.#end);
    this.#end -= from;
    this.#starts = this.#starts.slice(drop).map((s) => s - from);
    this.#firstIndex += drop;
  }

  clear(): void {
    this.#end = 0;
    this.#starts = [];
  }

  #reserve(extra: number): void {
    if (this.#end + extra <= this.#bytes.length) return;
    let size = this.#bytes.length * 2;
    while (size < this.#end + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.#bytes.subarray(0, this.#end));
    this.#bytes = grown;
  }
}
