import { invariant } from "../core/errors.js";
import { NO_SNAPSHOT_META } from "../core/types.js";
import { applyUpdate, cloneState, emptyState, type MutableState } from "./apply-update.js";
import { EncodedLog } from "./encoded-log.js";
import { type Persister, saveOwned } from "./persister.js";
import {
  assembledRaftStateSize,
  assembleRaftState,
  decodeRaftState,
  encodeRaftStateHeader,
  encodeRaftStateTrailer,
} from "./raft-state-codec.js";
import type { Storage, StorageUpdate, StoredState } from "./storage.js";

/**
 * The {@link Storage} view of a course {@link Persister}: every update saves the whole Raft
 * state (labgob-encoded) and the current snapshot together, as the course's `persist()` does.
 * Entries are encoded once, when they are stored ({@link EncodedLog}), and a save copies
 * nothing: the Persister gets the Raft state deferred (its size now, its bytes put together from
 * a header and an unchanging view of the encoded log only when someone reads it) and this
 * storage's own copy of the snapshot, so a save costs the size of the change, not of the log.
 */
export class PersisterStorage implements Storage {
  readonly persister: Persister;
  readonly #state: MutableState;
  readonly #log = new EncodedLog();
  /** The snapshot's bytes as saved: this storage's own copy, never changed or handed out. */
  #snapshotBytes: Uint8Array | null = null;

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
        this.#snapshotBytes = persister.readSnapshot();
      }
    }
  }

  initialState(): StoredState {
    return cloneState(this.#state);
  }

  persist(update: StorageUpdate): void {
    applyUpdate(this.#state, update);
    this.#syncLog(update);
    // Copied once, when it arrives: the caller keeps its array, the Persister may keep ours.
    if (update.snapshot !== undefined) this.#snapshotBytes = update.snapshot.data.slice();
    const snapshot = this.#state.snapshot?.meta ?? NO_SNAPSHOT_META;
    const header = encodeRaftStateHeader(this.#state.hardState, snapshot);
    const trailer = encodeRaftStateTrailer(snapshot);
    const log = this.#log.view();
    this.persister[saveOwned](
      {
        length: assembledRaftStateSize(header.length, log.length, trailer.length),
        build: () => assembleRaftState(header, log, trailer),
      },
      this.#snapshotBytes,
    );
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
