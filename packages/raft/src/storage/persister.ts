/**
 * The course's Persister: the bytes of the Raft state and of the snapshot, saved together.
 * Reads return copies, as in the course, so a caller cannot change what was saved.
 */
export class Persister {
  #raftState: Uint8Array = new Uint8Array(0);
  #snapshot: Uint8Array = new Uint8Array(0);

  /** Atomically replaces both; a `null` snapshot erases it. */
  save(raftState: Uint8Array, snapshot: Uint8Array | null): void {
    this.#raftState = raftState.slice();
    this.#snapshot = snapshot === null ? new Uint8Array(0) : snapshot.slice();
  }

  readRaftState(): Uint8Array {
    return this.#raftState.slice();
  }

  raftStateSize(): number {
    return this.#raftState.length;
  }

  readSnapshot(): Uint8Array {
    return this.#snapshot.slice();
  }

  snapshotSize(): number {
    return this.#snapshot.length;
  }

  /** A new Persister holding the same bytes (the course gives each restarted peer a copy). */
  copy(): Persister {
    const p = new Persister();
    p.#raftState = this.#raftState;
    p.#snapshot = this.#snapshot;
    return p;
  }
}
