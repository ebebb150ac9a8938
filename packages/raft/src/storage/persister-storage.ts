import { invariant } from "../core/errors.js";
import { NO_SNAPSHOT_META } from "../core/types.js";
import { applyUpdate, cloneState, emptyState, type MutableState } from "./apply-update.js";
import { EncodedLog } from "./encoded-log.js";
import type { Persister } from "./persister.js";
import { decodeRaftState, encodeRaftStateWithLog } from "./raft-state-codec.js";
import type { Storage, StorageUpdate, StoredState } from "./storage.js";

/**
 * The {@link Storage} view of a course {@link Persister}: every update saves the whole Raft
 * state (labgob-encoded) and the current snapshot together, as the course's `persist()` does.
 * Entries are encoded once, when they are stored ({@link EncodedLog}), so a save costs a copy
 * of the bytes rather than an encoding of the whole log.
 */
export class PersisterStorage implements Storage {
  readonly persister: Persister;
  readonly #state: MutableState;
  readonly #log = new EncodedLog();

  constructor(persister: Persister) {
    this.persister = persister;
    this.#state = emptyState();
    if (persister.raftStateSize() > 0) {
      const decoded = decodeRaftState(persister.readRaftState());
      this.#state.hardState = decoded.hardState;
      this.#state.entries = [...decoded.entries];
      this.#log.append(decoded.entries);
      if (decoded.snapshot.index > 0) {
        this.#state.snapshot = { meta: decoded.snapshot, data: persister.readSnapshot() };
      }
    }
  }

  initialState(): StoredState {
    return cloneState(this.#state);
  }

  persist(update: StorageUpdate): void {
    applyUpdate(this.#state, update);
    this.#syncLog(update);
    const raftState = encodeRaftStateWithLog(
      this.#state.hardState,
      this.#state.snapshot?.meta ?? NO_SNAPSHOT_META,
      this.#log.bytes(),
    );
    this.persister.save(raftState, this.#state.snapshot?.data ?? null);
  }

  /** Brings the encoded log to the entries `update` left in the state (as `applyUpdate` did). */
  #syncLog(update: StorageUpdate): void {
    const entries = this.#state.entries;
    if (update.entries !== undefined) this.#log.truncateFrom(update.entries.from);
    const first = entries[0]?.index;
    if (first === undefined) this.#log.clear();
    else this.#log.discardBefore(first);
    // applyUpdate stored these right after the truncation point, past any snapshot.
    if (update.entries !== undefined) this.#log.append(update.entries.entries);
    invariant(
      this.#log.length === entries.length && this.#log.firstIndex === first,
      () =>
        `encoded log holds ${this.#log.length} entries from ${this.#log.firstIndex}, the state ${entries.length} from ${first}`,
    );
  }

  raftStateSize(): number {
    return this.persister.raftStateSize();
  }

  snapshotSize(): number {
    return this.persister.snapshotSize();
  }
}
