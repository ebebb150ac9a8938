import { invariant } from "./errors.js";
import { type Entry, NO_SNAPSHOT_META, type SnapshotMeta } from "./types.js";

/**
 * The log as the core sees it: a snapshot covering indexes `1..snapshot.index`, then entries.
 * It also tracks which entries are not yet persisted (`unstableFrom`), so that the driver can
 * persist them and report back, even if messages changed the log in the meantime.
 */
export class RaftLog {
  #snapshot: SnapshotMeta;
  /** `#entries[i].index === #snapshot.index + 1 + i`. */
  #entries: Entry[];
  /** First index whose stored form may differ from this log (not yet persisted). */
  #unstableFrom: number;
  /** Entries from `#unstableFrom` on were removed and the storage still holds them. */
  #truncationPending = false;
  /**
   * The storage durably holds this log (snapshot and entries) through this index: what
   * {@link markDurable} confirmed, lowered at once by a truncation or a snapshot that replaces
   * the log. With asynchronous storage writes it trails what was handed to the storage.
   */
  #durableThrough: number;
  /** Bumped whenever held entries are removed (truncation, compaction): invalidates `#lastSlice`. */
  #generation = 0;
  /**
   * Results of {@link sliceBounded} by start index, for as long as the log and the limits stay
   * as they were (`#sliceKey`): followers at the same position get the very same array, so the
   * driver can encode their message once.
   */
  readonly #slices = new Map<number, readonly Entry[]>();
  #sliceKey = "";

  constructor(snapshot: SnapshotMeta = NO_SNAPSHOT_META, entries: readonly Entry[] = []) {
    this.#snapshot = snapshot;
    this.#entries = [...entries];
    for (let i = 0; i < entries.length; i++) {
      const index = (entries[i] as Entry).index;
      invariant(
        index === snapshot.index + 1 + i,
        () => `restored entry ${i} has index ${index}, expected ${snapshot.index + 1 + i}`,
      );
    }
    this.#unstableFrom = this.lastIndex + 1;
    this.#durableThrough = this.lastIndex;
  }

  /** See `#durableThrough`: never beyond the last index. */
  get durableThrough(): number {
    return this.#durableThrough;
  }

  get snapshot(): SnapshotMeta {
    return this.#snapshot;
  }

  /** Index of the first entry held (after the snapshot). */
  get firstIndex(): number {
    return this.#snapshot.index + 1;
  }

  get lastIndex(): number {
    return this.#snapshot.index + this.#entries.length;
  }

  get lastTerm(): number {
    return this.#entries.at(-1)?.term ?? this.#snapshot.term;
  }

  /** Term of the entry at `index`: known for the snapshot's last index and held entries. */
  term(index: number): number | undefined {
    if (index === this.#snapshot.index) return this.#snapshot.term;
    if (index < this.#snapshot.index || index > this.lastIndex) return undefined;
    return this.#entries[index - this.#snapshot.index - 1]?.term;
  }

  entry(index: number): Entry | undefined {
    if (index <= this.#snapshot.index) return undefined;
    return this.#entries[index - this.#snapshot.index - 1];
  }

  /** Entries in `[from, to]`, both held (from > snapshot index). */
  slice(from: number, to: number): Entry[] {
    invariant(
      from > this.#snapshot.index,
      () => `slice from ${from} reaches into the snapshot (${this.#snapshot.index})`,
    );
    const base = this.#snapshot.index + 1;
    return this.#entries.slice(from - base, Math.min(to, this.lastIndex) - base + 1);
  }

  /**
   * Entries from `from`, at most `maxBytes` of commands (at least one entry if any). Asked the
   * same again with the log unchanged, it returns the same (frozen by contract) array.
   */
  sliceBounded(from: number, maxEntries: number, maxBytes: number): readonly Entry[] {
    const key = `${this.lastIndex}/${this.#generation}/${maxEntries}/${maxBytes}`;
    if (key !== this.#sliceKey) {
      this.#slices.clear();
      this.#sliceKey = key;
    }
    const cached = this.#slices.get(from);
    if (cached !== undefined) return cached;
    const out: Entry[] = [];
    let bytes = 0;
    for (let i = from; i <= this.lastIndex && out.length < maxEntries; i++) {
      const e = this.entry(i) as Entry;
      bytes += e.command.length;
      if (out.length > 0 && bytes > maxBytes) break;
      out.push(e);
    }
    this.#slices.set(from, out);
    return out;
  }

  /** True when the log holds `index` with `term` (or `index` is the snapshot's last index). */
  matches(index: number, term: number): boolean {
    return this.term(index) === term;
  }

  /** The first index of `term` at or before `index`, not below the first held entry. */
  firstIndexOfTerm(term: number, index: number): number {
    let i = index;
    while (i > this.firstIndex && this.term(i - 1) === term) i--;
    return i;
  }

  /** The last index holding `term`, or 0 when the log holds no entry of that term. */
  lastIndexOfTerm(term: number): number {
    for (let i = this.lastIndex; i > this.#snapshot.index; i--) {
      const t = this.term(i) as number;
      if (t === term) return i;
      if (t < term) return 0;
    }
    return this.#snapshot.term === term ? this.#snapshot.index : 0;
  }

  /** Appends one entry at the end (a leader's proposal). */
  append(entry: Entry): void {
    // Checked before calling `invariant`: this runs per entry, and its message closures cost.
    if (entry.index !== this.lastIndex + 1) {
      invariant(false, () => `append of index ${entry.index} after ${this.lastIndex}`);
    }
    if (entry.term < this.lastTerm) {
      invariant(false, () => `append of term ${entry.term} after term ${this.lastTerm}`);
    }
    this.#entries.push(entry);
  }

  /**
   * Merges a leader's entries that follow a matching `prevLogIndex`: skips those already held,
   * truncates at the first conflict and appends the rest (Figure 2, AppendEntries steps 3-4).
   * Never truncates committed entries. Returns the index of the last entry of `entries`.
   */
  merge(entries: readonly Entry[], commit: number): number {
    let i = 0;
    // Entries covered by the snapshot or already held with the same term are skipped.
    while (i < entries.length) {
      const e = entries[i] as Entry;
      const have = this.term(e.index);
      if (e.index <= this.#snapshot.index || have === e.term) {
        i++;
        continue;
      }
      if (have !== undefined) {
        invariant(
          e.index > commit,
          () => `conflict at committed index ${e.index} (commit ${commit})`,
        );
        this.#truncateFrom(e.index);
      }
      break;
    }
    for (; i < entries.length; i++) this.append(entries[i] as Entry);
    return entries.at(-1)?.index ?? 0;
  }

  /** Replaces the log prefix up to `meta.index` by a snapshot (compaction or installation). */
  installSnapshot(meta: SnapshotMeta): void {
    this.#generation++;
    invariant(
      meta.index > this.#snapshot.index,
      () => `snapshot ${meta.index} does not advance ${this.#snapshot.index}`,
    );
    if (this.term(meta.index) === meta.term) {
      // The log agrees up to the snapshot: keep what follows it.
      this.#entries = this.#entries.slice(meta.index - this.#snapshot.index);
      this.#snapshot = meta;
      this.#unstableFrom = Math.max(this.#unstableFrom, meta.index + 1);
    } else {
      // The log disagrees with (or ends before) the snapshot: nothing after it can be kept.
      this.#entries = [];
      this.#snapshot = meta;
      this.#unstableFrom = meta.index + 1;
      this.#truncationPending = true;
      // The stored entries no longer agree with the log; the snapshot is not stored yet.
      this.#durableThrough = Math.min(this.#durableThrough, meta.index);
    }
  }

  /**
   * What the storage lacks: truncate the stored log at `from`, then append `entries` (possibly
   * none). `undefined` when the storage is up to date.
   */
  unstable(): { from: number; entries: Entry[] } | undefined {
    if (this.#unstableFrom > this.lastIndex && !this.#truncationPending) return undefined;
    return { from: this.#unstableFrom, entries: this.slice(this.#unstableFrom, this.lastIndex) };
  }

  /**
   * The driver persisted an update obtained from {@link unstable}. Ignored where the log has
   * changed since at or before the update's end (a truncation made part of it obsolete).
   */
  stableTo(update: { readonly from: number; readonly entries: readonly Entry[] }): void {
    if (this.#unstableFrom < update.from) return; // truncated below the update since: redo
    const last = update.entries.at(-1);
    if (last === undefined) {
      if (this.#unstableFrom === update.from) this.#truncationPending = false;
      return;
    }
    if (this.term(last.index) !== last.term) return;
    if (this.#unstableFrom <= last.index) this.#unstableFrom = last.index + 1;
    this.#truncationPending = false;
  }

  /**
   * The storage made an update durable (in the order updates were handed to it). The stored
   * log then agrees with this one through the update's last entry if this log still holds that
   * entry (same index and term: by the Log Matching property, the same entries up to it), and
   * through a persisted snapshot's index.
   */
  markDurable(update: {
    readonly snapshot?: { readonly meta: SnapshotMeta } | undefined;
    readonly entries?: { readonly entries: readonly Entry[] } | undefined;
  }): void {
    const snap = update.snapshot?.meta;
    if (snap !== undefined && this.#matchesOrCovered(snap)) {
      this.#durableThrough = Math.max(this.#durableThrough, snap.index);
    }
    const last = update.entries?.entries.at(-1);
    if (last !== undefined && this.term(last.index) === last.term) {
      this.#durableThrough = Math.max(this.#durableThrough, last.index);
    }
  }

  /** The log holds `meta`'s last entry, or a snapshot at or past it. */
  #matchesOrCovered(meta: SnapshotMeta): boolean {
    return meta.index <= this.#snapshot.index || this.term(meta.index) === meta.term;
  }

  #truncateFrom(index: number): void {
    this.#generation++;
    this.#durableThrough = Math.min(this.#durableThrough, index - 1);
    this.#entries.length = index - this.#snapshot.index - 1;
    this.#unstableFrom = Math.min(this.#unstableFrom, index);
    this.#truncationPending = true;
  }
}
