import { NO_SNAPSHOT_META } from "../core/types.js";
import { applyUpdate, cloneState, emptyState, type MutableState } from "./apply-update.js";
import type { Persister } from "./persister.js";
import { decodeRaftState, encodeRaftState } from "./raft-state-codec.js";
import type { Storage, StorageUpdate, StoredState } from "./storage.js";

/**
 * The {@link Storage} view of a course {@link Persister}: every update saves the whole Raft
 * state (labgob-encoded) and the current snapshot together, as the course's `persist()` does.
 */
export class PersisterStorage implements Storage {
  readonly persister: Persister;
  readonly #state: MutableState;

  constructor(persister: Persister) {
    this.persister = persister;
    this.#state = emptyState();
    if (persister.raftStateSize() > 0) {
      const decoded = decodeRaftState(persister.readRaftState());
      this.#state.hardState = decoded.hardState;
      this.#state.entries = [...decoded.entries];
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
    const raftState = encodeRaftState({
      hardState: this.#state.hardState,
      snapshot: this.#state.snapshot?.meta ?? NO_SNAPSHOT_META,
      entries: this.#state.entries,
    });
    this.persister.save(raftState, this.#state.snapshot?.data ?? null);
  }

  raftStateSize(): number {
    return this.persister.raftStateSize();
  }

  snapshotSize(): number {
    return this.persister.snapshotSize();
  }
}
