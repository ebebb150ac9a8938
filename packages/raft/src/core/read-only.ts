/**
 * Identifies a read between the caller of {@link RaftCore.readIndex} and the {@link ReadState}
 * that answers it. The core never looks inside it: any non-negative safe integer the caller
 * can match back (the driver numbers its reads).
 */
export type ReadRequestId = number;

/**
 * A read confirmed by the leader: once the service has applied the log through `index`, its
 * state reflects every write that completed before the read was asked, so the read may be
 * served from it (Raft thesis §6.4).
 */
export interface ReadState {
  readonly requestId: ReadRequestId;
  readonly index: number;
}

/**
 * How a leader confirms that it still leads before answering a read:
 * - `"safe"` (ReadIndex, as etcd-io/raft's ReadOnlySafe): a round of heartbeats that a quorum
 *   acknowledges. Correct on any timing.
 * - `"lease"` (as etcd-io/raft's ReadOnlyLeaseBased): no round while the leader heard from a
 *   quorum recently enough that no other leader can have been elected since (check-quorum's
 *   lease). Correct only while the peers' clocks tick at about the same rate (see the README).
 */
export type ReadMode = "safe" | "lease";

/** What {@link RaftCore.readIndex} did with a read. */
export type ReadIndexStatus =
  /** This peer is not the leader: refused; nothing will come of it. */
  | "not-leader"
  /** Answered from the lease: its ReadState is in the next Ready, no round needed. */
  | "lease"
  /** Waiting for a quorum to acknowledge a heartbeat round sent after it (in a cluster of one, at once). */
  | "round"
  /**
   * Waiting for the leader's first commit in its term (until then it cannot know the commit
   * index), and for the round.
   */
  | "awaiting-commit";

/** A read waiting for its round of heartbeats (and maybe for its index). */
interface PendingRead {
  readonly requestId: ReadRequestId;
  /** The round whose acknowledgement by a quorum confirms the read (sent after it arrived). */
  readonly context: number;
  /** The commit index to serve at; `undefined` until the leader has committed in its term. */
  index: number | undefined;
}

/** When a round of heartbeats started, in the leader's ticks (for the lease). */
interface RoundStart {
  readonly context: number;
  readonly tick: number;
}

/**
 * A leader's reads in flight and its rounds of leadership confirmation. Each round has a
 * context number, increasing in the term; every AppendEntries the leader sends carries the
 * latest (`readContext`) and the follower echoes it in its reply. A reply with context `c` in
 * the leader's term proves the follower had not moved to a later term when it received a
 * message sent after round `c` started. A read that arrives gets the context of the next
 * round; it is confirmed once a quorum (the leader included) echoed at least that context:
 * the leader still led after the read arrived, so its commit index then covered every write
 * that had completed. Reads that arrive between two Readies share one round.
 */
export class ReadOnly {
  #context = 0;
  #roundWanted = false;
  readonly #pending: PendingRead[] = [];
  /** Start ticks of the rounds from the quorum-acknowledged one on (lease mode only). */
  readonly #starts: RoundStart[] = [];

  /** The latest round's context: the one every AppendEntries carries. */
  get context(): number {
    return this.#context;
  }

  /** A read arrived since the latest round started: the next Ready should start one. */
  get roundWanted(): boolean {
    return this.#roundWanted;
  }

  /** Reads in flight. */
  get size(): number {
    return this.#pending.length;
  }

  /** The oldest read still waits for the leader's first commit in its term. */
  get awaitingIndex(): boolean {
    return this.#pending[0]?.index === undefined && this.#pending.length > 0;
  }

  /**
   * Starts a round at leader tick `tick` (its start is kept for the lease when `recordStart`);
   * returns its context.
   */
  startRound(tick: number, recordStart: boolean): number {
    this.#context++;
    this.#roundWanted = false;
    if (recordStart) this.#starts.push({ context: this.#context, tick });
    return this.#context;
  }

  /** Queues a read for the next round; `index` is `undefined` while the leader cannot name it. */
  add(requestId: ReadRequestId, index: number | undefined): void {
    this.#pending.push({ requestId, context: this.#context + 1, index });
    this.#roundWanted = true;
  }

  /** The leader committed in its term: reads waiting for an index are served at `index`. */
  assignIndex(index: number): void {
    for (const read of this.#pending) {
      // Reads waiting for an index are all at the front: once the leader has committed in its
      // term, every read that arrives gets its index at once.
      if (read.index !== undefined) break;
      read.index = index;
    }
  }

  /** Moves the reads confirmed by a quorum acknowledgement of context `acked` to `out`, in order. */
  release(acked: number, out: ReadState[]): void {
    let n = 0;
    for (const read of this.#pending) {
      if (read.context > acked || read.index === undefined) break;
      out.push({ requestId: read.requestId, index: read.index });
      n++;
    }
    if (n > 0) this.#pending.splice(0, n);
    // Nothing left to confirm (a cluster of one confirms at once): no round needed.
    if (this.#pending.length === 0) this.#roundWanted = false;
  }

  /** Ends every read in flight (the leader stepped down); returns their ids. */
  failAll(): ReadRequestId[] {
    const ids = this.#pending.map((r) => r.requestId);
    this.#pending.length = 0;
    this.#roundWanted = false;
    return ids;
  }

  /**
   * The tick at which round `context` started, or `undefined` if it was not recorded. Forgets
   * the rounds before it: `context` is the quorum's acknowledgement, which never moves back.
   */
  roundStart(context: number): number | undefined {
    let drop = 0;
    while (drop < this.#starts.length && (this.#starts[drop] as RoundStart).context < context) {
      drop++;
    }
    if (drop > 0) this.#starts.splice(0, drop);
    const first = this.#starts[0];
    return first !== undefined && first.context === context ? first.tick : undefined;
  }
}
