import { CodecError, field, type Infer, message } from "@lab/labgob";
import { KvStore } from "../kvsrv/kv-store.js";
import type { KvOp } from "./op.js";

/** The state machine's snapshot: the store, the duplicate table and the index they cover. */
const KvSnapshot = message("KvSnapshot", {
  applied: field.uint(1),
  keys: field.repeated(field.string(), 2),
  values: field.repeated(field.string(), 3),
  clients: field.repeated(field.uint(), 4),
  seqs: field.repeated(field.uint(), 5),
});
type KvSnapshot = Infer<typeof KvSnapshot>;

/** What applying one operation produced. */
export interface ApplyOutcome {
  /** The value read, for a Get. */
  readonly value: string;
  /** The key was absent, for a Get. */
  readonly noKey: boolean;
  /** A write that had already been applied and was skipped. */
  readonly duplicate: boolean;
}

/**
 * The replicated state machine of kvraft (DESIGN principle 1: applying is a pure function of state
 * and command): the key/value map and, per client, the sequence number of its latest applied
 * write. Every server applies the same log, so every server holds the same state.
 *
 * Duplicate detection needs one number per client and no stored replies: a Put or Append replies
 * with nothing but `OK`, so a retry of an applied write just answers `OK` again, and a Get is
 * executed again (it changes nothing). A clerk runs one operation at a time with increasing
 * sequence numbers, so a write whose number is at most the client's latest has been applied.
 * That keeps snapshots small (the course bounds them at 500 bytes after 800 operations) and
 * independent of the number of operations.
 */
export class KvStateMachine {
  #store = new KvStore();
  #lastWrite = new Map<number, number>();
  #applied = 0;

  /** The log index of the last operation applied (or covered by the restored snapshot). */
  get applied(): number {
    return this.#applied;
  }

  /** Applies the operation at log `index` (which must follow {@link applied}). */
  apply(index: number, op: KvOp): ApplyOutcome {
    if (index !== this.#applied + 1) {
      throw new RangeError(`applied index ${index} does not follow ${this.#applied}`);
    }
    this.#applied = index;
    if (op.kind === "get") return this.read(op.key);
    if (op.kind === "noop") return { value: "", noKey: false, duplicate: false };
    const last = this.#lastWrite.get(op.clientId);
    if (last !== undefined && op.seq <= last) return { value: "", noKey: false, duplicate: true };
    this.#lastWrite.set(op.clientId, op.seq);
    if (op.kind === "put") this.#store.put(op.key, op.value);
    else this.#store.append(op.key, op.value);
    return { value: "", noKey: false, duplicate: false };
  }

  /**
   * Consumes log `index` without an operation (a Raft config entry: a membership change),
   * so the next operation's index follows it.
   */
  skip(index: number): void {
    if (index !== this.#applied + 1) {
      throw new RangeError(`skipped index ${index} does not follow ${this.#applied}`);
    }
    this.#applied = index;
  }

  /** A Get at the state applied so far (`noKey` when the key was never written). */
  read(key: string): ApplyOutcome {
    const value = this.#store.get(key);
    return { value, noKey: value === "", duplicate: false };
  }

  /** The value of `key` right now (`""` when absent), for tests and dashboards. */
  peek(key: string): string {
    return this.#store.get(key);
  }

  /** Counts of what the machine holds. */
  stats(): { readonly keys: number; readonly valueChars: number; readonly clients: number } {
    return {
      keys: this.#store.size,
      valueChars: this.#store.valueChars(),
      clients: this.#lastWrite.size,
    };
  }

  /** The whole state as bytes, to hand to Raft's `snapshot(applied, bytes)`. */
  snapshot(): Uint8Array {
    const keys: string[] = [];
    const values: string[] = [];
    for (const [key, value] of this.#store.entries()) {
      keys.push(key);
      values.push(value);
    }
    return KvSnapshot.encode({
      applied: this.#applied,
      keys,
      values,
      clients: [...this.#lastWrite.keys()],
      seqs: [...this.#lastWrite.values()],
    });
  }

  /**
   * Replaces the whole state with the one in `bytes` (a snapshot made by {@link snapshot}).
   * Throws `CodecError` for bytes that are not such a snapshot, leaving the state as it was.
   */
  restore(bytes: Uint8Array): void {
    const snap: KvSnapshot = KvSnapshot.decode(bytes);
    if (snap.keys.length !== snap.values.length || snap.clients.length !== snap.seqs.length) {
      throw new CodecError(
        "KvSnapshot",
        "decode",
        "$",
        "keys/values or clients/seqs differ in length",
      );
    }
    const store = new KvStore();
    snap.keys.forEach((key, i) => {
      store.put(key, snap.values[i] as string);
    });
    const lastWrite = new Map<number, number>();
    snap.clients.forEach((client, i) => {
      lastWrite.set(client, snap.seqs[i] as number);
    });
    this.#store = store;
    this.#lastWrite = lastWrite;
    this.#applied = snap.applied;
  }
}
