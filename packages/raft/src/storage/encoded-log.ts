import { invariant } from "../core/errors.js";
import type { Entry } from "../core/types.js";
import { encodeStoredEntry } from "./raft-state-codec.js";

const MIN_CAPACITY = 4096;

/**
 * The log part of the persisted Raft state, kept encoded and updated entry by entry.
 *
 * The course's persister saves the whole Raft state on every change, so encoding every entry
 * again each time makes a save cost the length of the log. Here each entry is encoded once,
 * when it is appended, and {@link view} hands out the encoded log without copying it. The bytes
 * are exactly those the full encoder writes for the entries (a test compares them).
 *
 * Views never change, whatever the log does next: the buffer is append-only. Live bytes are
 * `#bytes[#start, #end)`; an append writes at `#end`, a discard only moves `#start` forward, a
 * truncation only moves `#end` back. Every view handed out lies below `#shared`, and nothing
 * is ever written below `#shared` in the same buffer: when an append would (after a truncation)
 * or the buffer is full, or most of it is discarded entries, the live bytes move to a fresh
 * buffer ({@link #relocate}), which no view refers to yet. So appending, the common case, never
 * copies the log; growth is amortised by doubling, the compaction after discards by the bytes
 * discarded, and the copy after a truncation happens once per truncation of saved entries
 * (rare: a follower dropping a deposed leader's entries).
 */
export class EncodedLog {
  #bytes = new Uint8Array(MIN_CAPACITY);
  #start = 0;
  #end = 0;
  /** Views handed out may cover bytes below this offset of `#bytes`: never write there. */
  #shared = 0;
  /** Offsets in `#bytes` where each entry starts, in log order; live from `#head` on. */
  #starts: number[] = [];
  #head = 0;
  /** Index of the first entry held (meaningful only when some entry is held). */
  #firstIndex = 0;

  /** Number of entries held. */
  get length(): number {
    return this.#starts.length - this.#head;
  }

  /** Index of the first entry held, or undefined when empty. */
  get firstIndex(): number | undefined {
    return this.length === 0 ? undefined : this.#firstIndex;
  }

  /** Total bytes of the encoded entries. */
  get byteLength(): number {
    return this.#end - this.#start;
  }

  /** The encoded entries, without copying: these bytes never change, whatever the log does. */
  view(): Uint8Array {
    this.#shared = Math.max(this.#shared, this.#end);
    return this.#bytes.subarray(this.#start, this.#end);
  }

  /** Appends entries that must follow the last one held. */
  append(entries: readonly Entry[]): void {
    for (const entry of entries) {
      if (this.length === 0) this.#firstIndex = entry.index;
      const expected = this.#firstIndex + this.length;
      invariant(
        entry.index === expected,
        () => `encoded log: entry ${entry.index} appended where ${expected} was due`,
      );
      const encoded = encodeStoredEntry(entry);
      // Writing below #shared would change a view; past the end does not fit.
      if (this.#end < this.#shared || this.#end + encoded.length > this.#bytes.length) {
        this.#relocate(encoded.length);
      }
      this.#bytes.set(encoded, this.#end);
      this.#starts.push(this.#end);
      this.#end += encoded.length;
    }
  }

  /** Drops every entry at `index` and after. */
  truncateFrom(index: number): void {
    const keep = Math.max(0, index - this.#firstIndex);
    if (keep >= this.length) return;
    this.#end = this.#starts[this.#head + keep] as number;
    this.#starts.length = this.#head + keep;
  }

  /** Drops every entry before `index` (a snapshot covers them). */
  discardBefore(index: number): void {
    const drop = Math.min(this.length, index - this.#firstIndex);
    if (drop <= 0) return;
    if (drop === this.length) {
      this.clear();
      return;
    }
    this.#head += drop;
    this.#start = this.#starts[this.#head] as number;
    this.#firstIndex += drop;
    this.#compactIfMostlyDiscarded();
  }

  clear(): void {
    this.#start = this.#end;
    this.#starts.length = 0;
    this.#head = 0;
    this.#compactIfMostlyDiscarded();
  }

  /** Frees the discarded bytes once they outweigh the live ones (amortised by them). */
  #compactIfMostlyDiscarded(): void {
    if (this.#start >= MIN_CAPACITY && this.#start >= this.byteLength) this.#relocate(0);
  }

  /**
   * Moves the live bytes to the start of a fresh buffer with room for `extra` more and as much
   * again, so the next relocation for space is as many appended bytes away as this one copies.
   */
  #relocate(extra: number): void {
    const live = this.byteLength;
    let size = MIN_CAPACITY;
    while (size < 2 * (live + extra)) size *= 2;
    const moved = new Uint8Array(size);
    moved.set(this.#bytes.subarray(this.#start, this.#end));
    const from = this.#start;
    this.#starts = this.#starts.slice(this.#head).map((s) => s - from);
    this.#head = 0;
    this.#bytes = moved;
    this.#start = 0;
    this.#end = live;
    this.#shared = 0;
  }
}
