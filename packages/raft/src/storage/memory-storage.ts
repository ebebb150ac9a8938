import type { Clock } from "@lab/labrpc";
import { type Entry, NO_SNAPSHOT_META } from "../core/types.js";
// Pure arithmetic on entry sizes (no file system): shared with DiskStorage so both report the
// same raftStateSize.
import { storedEntrySize, varintSize } from "../disk/state-ops.js";
import { applyUpdate, cloneState, emptyState, type MutableState } from "./apply-update.js";
import { encodeRaftState } from "./raft-state-codec.js";
import type { Storage, StorageUpdate, StoredState } from "./storage.js";

export interface MemoryStorageOptions {
  /**
   * Simulated fsync latency: each update becomes durable this long after `persist` is called
   * (on `clock`), and `persist` resolves then. Default 0: durable when `persist` returns.
   */
  readonly syncDelayMs?: number;
  readonly clock?: Clock;
}

/**
 * In-memory {@link Storage} with an honest crash model: it keeps what was written and what was
 * synced apart, and {@link crash} returns the storage a restarted peer would find, holding only
 * synced updates.
 */
export class MemoryStorage implements Storage {
  readonly #written: MutableState;
  readonly #synced: MutableState;
  readonly #delay: number;
  readonly #clock: Clock | undefined;
  /**
   * Bytes the written log adds to the encoded Raft state, kept up to date by `persist`, so that
   * `raftStateSize()` (which kvraft asks after every apply) does not encode the whole log.
   */
  #writtenLogBytes: number;
  #crashed = false;

  constructor(initial?: StoredState, options: MemoryStorageOptions = {}) {
    this.#delay = options.syncDelayMs ?? 0;
    this.#written = initial === undefined ? emptyState() : cloneState(initial);
    // Without a sync delay every write is synced as it is made: one state serves as both, so
    // each update is applied once.
    this.#synced =
      this.#delay === 0
        ? this.#written
        : initial === undefined
          ? emptyState()
          : cloneState(initial);
    this.#clock = options.clock;
    this.#writtenLogBytes = logBytes(this.#written.entries);
    if (this.#delay > 0 && this.#clock === undefined) {
      throw new RangeError("MemoryStorage: syncDelayMs needs a clock");
    }
  }

  initialState(): StoredState {
    return cloneState(this.#written);
  }

  persist(update: StorageUpdate): void | Promise<void> {
    if (this.#crashed) return new Promise<void>(() => {}); // a dead disk never acknowledges
    this.#applyWritten(update);
    if (this.#delay === 0 || this.#clock === undefined) return; // #synced is #written
    // Timers with equal delays fire in order, so updates become durable in order.
    return new Promise<void>((resolve) => {
      (this.#clock as Clock).setTimer(this.#delay, () => {
        if (!this.#crashed) applyUpdate(this.#synced, update);
        resolve();
      });
    });
  }

  /** The storage a restarted peer finds: synced updates only. This one stops accepting writes. */
  crash(): MemoryStorage {
    this.#crashed = true;
    return new MemoryStorage(cloneState(this.#synced), {
      syncDelayMs: this.#delay,
      ...(this.#clock !== undefined ? { clock: this.#clock } : {}),
    });
  }

  /** Bytes of the written Raft state in the course's labgob encoding (hard state and log). */
  raftStateSize(): number {
    // The state without its log, less its one-byte length prefix, plus the log's field bytes,
    // under the length prefix of the whole: exactly `encodeRaftState(written).length`.
    const header =
      encodeRaftState({
        hardState: this.#written.hardState,
        snapshot: this.#written.snapshot?.meta ?? NO_SNAPSHOT_META,
        entries: [],
      }).length - 1;
    const body = header + this.#writtenLogBytes;
    return varintSize(body) + body;
  }

  /** Applies `update` to the written state, keeping the log's byte count. */
  #applyWritten(update: StorageUpdate): void {
    const written = this.#written;
    if (update.snapshot !== undefined) {
      // Rare: recount what the snapshot left.
      applyUpdate(written, update);
      this.#writtenLogBytes = logBytes(written.entries);
      return;
    }
    let delta = 0;
    if (update.entries !== undefined) {
      const base = (written.snapshot?.meta.index ?? 0) + 1;
      // The entries the update replaces (a truncation), then the ones it appends.
      for (let i = Math.max(0, update.entries.from - base); i < written.entries.length; i++) {
        delta -= storedEntrySize(written.entries[i] as Entry);
      }
      delta += logBytes(update.entries.entries);
    }
    applyUpdate(written, update); // throws for an update that does not fit: the count stays
    this.#writtenLogBytes += delta;
  }

  snapshotSize(): number {
    return this.#written.snapshot?.data.length ?? 0;
  }
}

function logBytes(entries: readonly Entry[]): number {
  let total = 0;
  for (const e of entries) total += storedEntrySize(e);
  return total;
}
