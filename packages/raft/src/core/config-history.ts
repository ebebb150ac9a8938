import type { Configuration } from "./configuration.js";
import { invariant } from "./errors.js";

/** A config entry of the log: the configuration in effect from `index` on. */
export interface ConfigRecord {
  readonly index: number;
  readonly term: number;
  readonly config: Configuration;
}

/**
 * The configurations of a peer's log, from its snapshot's on. With single-server changes a
 * peer uses the latest config entry in its log as soon as it appends it, committed or not
 * (Raft thesis §4.1), so when a new leader's entries truncate an uncommitted config entry the
 * peer must fall back to the configuration before it: this keeps every config entry after the
 * snapshot, and the snapshot's configuration (`base`) below them.
 */
export class ConfigHistory {
  #base: ConfigRecord;
  /** Config entries after `#base.index`, in index order. */
  #records: ConfigRecord[] = [];

  constructor(base: ConfigRecord) {
    this.#base = base;
  }

  /** The configuration in effect: the latest config entry's, or the snapshot's. */
  get current(): Configuration {
    return this.latest.config;
  }

  /** The latest config entry (or the snapshot's configuration). */
  get latest(): ConfigRecord {
    return this.#records.at(-1) ?? this.#base;
  }

  /** Config entries after the snapshot, oldest first (for status and tests). */
  get records(): readonly ConfigRecord[] {
    return this.#records;
  }

  /** A config entry was appended to the log. */
  append(record: ConfigRecord): void {
    invariant(
      record.index > this.latest.index,
      () => `config entry at ${record.index} appended after one at ${this.latest.index}`,
    );
    this.#records.push(record);
  }

  /**
   * Drops the config entries the log no longer holds: from the first whose index now has
   * another term (or lies beyond the log) on. Returns true when the configuration changed.
   */
  retainHeld(termAt: (index: number) => number | undefined): boolean {
    const keep = this.#records.findIndex((r) => termAt(r.index) !== r.term);
    if (keep === -1) return false;
    this.#records.length = keep;
    return true;
  }

  /** The configuration in effect at `index` (at or after the snapshot). */
  configAt(index: number): Configuration {
    invariant(
      index >= this.#base.index,
      () => `config at ${index} asked, below the snapshot at ${this.#base.index}`,
    );
    let config = this.#base.config;
    for (const r of this.#records) {
      if (r.index > index) break;
      config = r.config;
    }
    return config;
  }

  /** The log was compacted up to `index` (term `term`): its configuration becomes the base. */
  compact(index: number, term: number): void {
    const config = this.configAt(index);
    this.#records = this.#records.filter((r) => r.index > index);
    this.#base = { index, term, config };
  }

  /**
   * A snapshot from the leader replaced the log up to `base.index`; config entries after it
   * stay only where the log kept the entries (see {@link retainHeld}).
   */
  installSnapshot(base: ConfigRecord, termAt: (index: number) => number | undefined): void {
    this.#records = this.#records.filter((r) => r.index > base.index);
    this.#base = base;
    this.retainHeld(termAt);
  }
}
