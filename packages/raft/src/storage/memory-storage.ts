import type { Clock } from "@lab/labrpc";
import { NO_SNAPSHOT_META } from "../core/types.js";
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
  #crashed = false;

  constructor(initial?: StoredState, options: MemoryStorageOptions = {}) {
    this.#written = initial === undefined ? emptyState() : cloneState(initial);
    this.#synced = initial === undefined ? emptyState() : cloneState(initial);
    this.#delay = options.syncDelayMs ?? 0;
    this.#clock = options.clock;
    if (this.#delay > 0 && this.#clock === undefined) {
      throw new RangeError("MemoryStorage: syncDelayMs needs a clock");
    }
  }

  initialState(): StoredState {
    return cloneState(this.#written);
  }

  persist(update: StorageUpdate): void | Promise<void> {
    if (this.#crashed) return new Promise<void>(() => {}); // a dead disk never acknowledges
    applyUpdate(this.#written, update);
    if (this.#delay === 0 || this.#clock === undefined) {
      applyUpdate(this.#synced, update);
      return;
    }
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

  raftStateSize(): number {
    return encodeRaftState({
      hardState: this.#written.hardState,
      snapshot: this.#written.snapshot?.meta ?? NO_SNAPSHOT_META,
      entries: this.#written.entries,
    }).length;
  }

  snapshotSize(): number {
    return this.#written.snapshot?.data.length ?? 0;
  }
}
