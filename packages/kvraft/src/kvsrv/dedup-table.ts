/** A reply the clerk may not have seen yet: an Append's old value, kept for its retries. */
interface UnackedReply {
  readonly seq: number;
  readonly oldValue: string;
}

/** What the table says about a write request. */
export type WriteCheck =
  | { readonly duplicate: false }
  /** Already executed: answer with `oldValue` (the stored reply, or `""` if nobody can read it). */
  | { readonly duplicate: true; readonly oldValue: string };

const FRESH: WriteCheck = Object.freeze({ duplicate: false });
const STALE: WriteCheck = Object.freeze({ duplicate: true, oldValue: "" });

/**
 * Duplicate detection for clerks that number their operations `1, 2, 3, ...` and run one at a
 * time, retrying each until they get a reply.
 *
 * It keeps the least state that still makes every write execute at most once:
 *
 * - per clerk that ever wrote, the sequence number of its latest write (a number: tens of bytes);
 * - per clerk whose latest write was an Append, that Append's reply (the old value), but only
 *   until the clerk's next request arrives, which proves the clerk saw the reply. A Get counts
 *   too, so a large old value is freed as soon as the clerk does anything else.
 *
 * Gets add nothing: a Get can be repeated harmlessly, so the table holds no state for clerks that
 * only read.
 *
 * The sequence number outlives the reply on purpose. On the simulated network a request is never
 * delivered after its call returned, but over TCP a copy can sit in a socket buffer after the
 * clerk gave up on it and moved on; when that stale copy arrives, the number still says it was
 * executed, and its answer goes to nobody.
 */
export class DedupTable {
  readonly #lastWrite = new Map<number, number>();
  readonly #unacked = new Map<number, UnackedReply>();

  /** A request numbered `seq` from `clientId`: every reply to an earlier request was seen. */
  acknowledge(clientId: number, seq: number): void {
    const unacked = this.#unacked.get(clientId);
    if (unacked !== undefined && unacked.seq < seq) this.#unacked.delete(clientId);
  }

  /** Whether the write `(clientId, seq)` was already executed, and if so what to answer. */
  check(clientId: number, seq: number): WriteCheck {
    const last = this.#lastWrite.get(clientId);
    if (last === undefined || seq > last) return FRESH;
    const unacked = this.#unacked.get(clientId);
    return unacked !== undefined && unacked.seq === seq
      ? { duplicate: true, oldValue: unacked.oldValue }
      : STALE;
  }

  /** Records that the Put `(clientId, seq)` was executed. */
  recordPut(clientId: number, seq: number): void {
    this.#lastWrite.set(clientId, seq);
  }

  /** Records that the Append `(clientId, seq)` was executed and answered `oldValue`. */
  recordAppend(clientId: number, seq: number, oldValue: string): void {
    this.#lastWrite.set(clientId, seq);
    if (oldValue === "") this.#unacked.delete(clientId);
    else this.#unacked.set(clientId, { seq, oldValue });
  }

  /** Clerks that have written (one sequence number each). */
  get writers(): number {
    return this.#lastWrite.size;
  }

  /** Append replies held until their clerk's next request. */
  get unackedReplies(): number {
    return this.#unacked.size;
  }

  /** Total length (UTF-16 code units) of the held replies. */
  unackedChars(): number {
    let n = 0;
    for (const r of this.#unacked.values()) n += r.oldValue.length;
    return n;
  }
}
