/**
 * Bytes whose length is known now but which are only built when first needed.
 *
 * @internal Not part of the course API: `PersisterStorage` hands the Raft state to the
 * Persister this way (see {@link saveOwned}), so a save costs the size of the change rather than
 * the size of the log. `build` must return the same bytes, `length` of them, whenever it is
 * called, and nothing may change them afterwards.
 */
export interface DeferredBytes {
  readonly length: number;
  build(): Uint8Array;
}

/**
 * The key of the Persister's non-copying save.
 *
 * @internal Not exported from the package: `persister[saveOwned](raftState, snapshot)` is
 * `save` for a caller that hands over buffers it will never change again (so they are not
 * copied) and may defer the Raft state's bytes until someone reads or needs them.
 */
export const saveOwned: unique symbol = Symbol("Persister.saveOwned");

/**
 * One saved byte string, never changed once saved. A copy of a Persister shares these (both
 * see the same bytes, and a later save replaces the holder rather than changing it); deferred
 * bytes are built once, on first use, and the builder is then dropped.
 */
class Saved {
  static readonly EMPTY = new Saved(new Uint8Array(0));

  readonly length: number;
  #bytes: Uint8Array | undefined;
  #deferred: DeferredBytes | undefined;

  constructor(bytes: Uint8Array | DeferredBytes) {
    this.length = bytes.length;
    if (bytes instanceof Uint8Array) this.#bytes = bytes;
    else this.#deferred = bytes;
  }

  /** The saved bytes themselves: never hand these out, only copies. */
  bytes(): Uint8Array {
    if (this.#bytes === undefined) {
      const built = (this.#deferred as DeferredBytes).build();
      if (built.length !== this.length) {
        throw new Error(`deferred bytes: built ${built.length} bytes, ${this.length} promised`);
      }
      this.#bytes = built;
      this.#deferred = undefined;
    }
    return this.#bytes;
  }
}

/**
 * The course's Persister: the bytes of the Raft state and of the snapshot, saved together.
 * Reads return copies, as in the course, so a caller cannot change what was saved.
 */
export class Persister {
  #raftState: Saved = Saved.EMPTY;
  #snapshot: Saved = Saved.EMPTY;

  /** Atomically replaces both; a `null` snapshot erases it. */
  save(raftState: Uint8Array, snapshot: Uint8Array | null): void {
    this.#raftState = new Saved(raftState.slice());
    this.#snapshot = snapshot === null ? Saved.EMPTY : new Saved(snapshot.slice());
  }

  /**
   * `save` without the defensive copies: the caller gives up `raftState` and `snapshot` (it
   * never changes them again), and the Raft state may be deferred.
   *
   * @internal For `PersisterStorage`; not part of the course API.
   */
  [saveOwned](raftState: Uint8Array | DeferredBytes, snapshot: Uint8Array | null): void {
    this.#raftState = new Saved(raftState);
    this.#snapshot = snapshot === null ? Saved.EMPTY : new Saved(snapshot);
  }

  readRaftState(): Uint8Array {
    return this.#raftState.bytes().slice();
  }

  raftStateSize(): number {
    return this.#raftState.length;
  }

  readSnapshot(): Uint8Array {
    return this.#snapshot.bytes().slice();
  }

  snapshotSize(): number {
    return this.#snapshot.length;
  }

  /** A new Persister holding the same bytes (the course gives each restarted peer a copy). */
  copy(): Persister {
    const p = new Persister();
    // Saved bytes never change, so both may hold them; a later save on either replaces its own.
    p.#raftState = this.#raftState;
    p.#snapshot = this.#snapshot;
    return p;
  }
}
