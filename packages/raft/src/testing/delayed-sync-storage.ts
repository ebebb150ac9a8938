import type { Clock, Random } from "@lab/labrpc";
import type { Storage, StorageUpdate, StoredState } from "../storage/storage.js";

/**
 * A disk with a slow fsync, for the simulator: each update reaches `durable` (the storage a
 * restarted peer reads) only after a random delay of 0 to `maxDelayMs` milliseconds on the simulated clock,
 * and `persist` resolves then. Updates become durable in the order they were persisted, and
 * several may be under way at once, so a driver with asynchronous storage writes (the default
 * of `RaftNode`) keeps several in flight. An update not yet durable when its peer crashes is
 * lost: the harness restarts a peer from `durable` alone.
 */
export class DelayedSyncStorage implements Storage {
  readonly #durable: Storage;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #maxDelayMs: number;
  /** When the last update persisted becomes durable: later ones never overtake it. */
  #lastDue = 0;

  constructor(durable: Storage, clock: Clock, random: Random, maxDelayMs: number) {
    if (!Number.isSafeInteger(maxDelayMs) || maxDelayMs < 0) {
      throw new RangeError(
        `DelayedSyncStorage: maxDelayMs must be a non-negative integer, got ${maxDelayMs}`,
      );
    }
    this.#durable = durable;
    this.#clock = clock;
    this.#random = random;
    this.#maxDelayMs = maxDelayMs;
  }

  initialState(): StoredState {
    return this.#durable.initialState();
  }

  persist(update: StorageUpdate): Promise<void> {
    const now = this.#clock.now();
    const due = Math.max(this.#lastDue, now + this.#random.int(this.#maxDelayMs + 1));
    this.#lastDue = due;
    return new Promise<void>((resolve, reject) => {
      // Equal due times fire in the order the timers were set (the simulator is FIFO on ties).
      this.#clock.setTimer(due - now, () => {
        try {
          const pending = this.#durable.persist(update);
          if (pending === undefined) resolve();
          else pending.then(resolve, reject);
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  /** Of the durable state: what a crash would leave. */
  raftStateSize(): number {
    return this.#durable.raftStateSize();
  }

  snapshotSize(): number {
    return this.#durable.snapshotSize();
  }
}
