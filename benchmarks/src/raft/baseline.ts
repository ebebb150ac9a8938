import type { ClientEnd, RpcServer } from "@lab/labrpc";
import { defineService } from "@lab/labrpc";
import { type Entry, RaftService, type Storage } from "@lab/raft";
import type { ReplicationTarget } from "./workload.js";

/**
 * The baseline of the raft suite: the least work replication can do, with no consensus. The
 * leader appends each proposal to its storage, sends the entries to every follower as Raft's
 * own AppendEntries message (same codec, same bytes, same transport), and counts an entry
 * committed once a majority (itself included) has stored it; a follower stores what it gets
 * and acknowledges. No terms, votes, log matching, heartbeats or timers.
 */
export const ReplicationBaseline = defineService("ReplicationBaseline", {
  Append: {
    request: RaftService.methods.AppendEntries.request,
    reply: RaftService.methods.AppendEntries.reply,
  },
});

/** Batching limits, Raft's defaults unless the suite says otherwise. */
export interface BatchLimits {
  readonly maxEntriesPerMessage: number;
  readonly maxBytesPerMessage: number;
  readonly maxInflight: number;
}

type AppendArgs = Parameters<typeof RaftService.methods.AppendEntries.request.encode>[0];

/** The leader side of the baseline; followers are served by {@link addBaselineFollower}. */
export class BaselineLeader implements ReplicationTarget {
  readonly #followers: readonly ClientEnd[];
  readonly #storage: Storage;
  readonly #limits: BatchLimits;
  readonly #compactEvery: number;
  readonly #quorum: number;
  #listener: (index: number) => void = () => {};
  /** Proposed, not yet persisted here. */
  #pending: Entry[] = [];
  /** Persisted here; those from `#unsentAt` on are not yet sent. */
  #unsent: Entry[] = [];
  #unsentAt = 0;
  #lastIndex = 0;
  #persisted = 0;
  #commit = 0;
  #compacted = 0;
  /** Highest index each follower acknowledged. */
  readonly #match: number[];
  /** Messages sent and not yet acknowledged by a majority, by last index. */
  #inflight: number[] = [];
  #flushing = false;
  #scheduled = false;
  #failure: unknown;

  constructor(options: {
    readonly followers: readonly ClientEnd[];
    readonly storage: Storage;
    readonly limits: BatchLimits;
    /** Compacts the stored log every this many committed entries, as the Raft nodes do. */
    readonly compactEvery: number;
  }) {
    this.#followers = options.followers;
    this.#storage = options.storage;
    this.#limits = options.limits;
    this.#compactEvery = options.compactEvery;
    this.#quorum = Math.floor((options.followers.length + 1) / 2) + 1;
    this.#match = options.followers.map(() => 0);
  }

  onCommit(listener: (index: number) => void): void {
    this.#listener = listener;
  }

  propose(command: Uint8Array): number {
    if (this.#failure !== undefined) return -1;
    const entry: Entry = { term: 1, index: ++this.#lastIndex, command };
    this.#pending.push(entry);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(() => {
        this.#scheduled = false;
        void this.#flush();
      });
    }
    return entry.index;
  }

  /** Persists what was proposed (one storage update per turn, like a Ready), then sends it. */
  async #flush(): Promise<void> {
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending;
        this.#pending = [];
        const from = (batch[0] as Entry).index;
        const pending = this.#storage.persist({ entries: { from, entries: batch } });
        if (pending !== undefined) await pending;
        this.#persisted = (batch.at(-1) as Entry).index;
        for (const e of batch) this.#unsent.push(e);
        this.#send();
        this.#advanceCommit();
      }
    } catch (error) {
      this.#failure = error;
      throw error;
    } finally {
      this.#flushing = false;
    }
  }

  /** Sends persisted entries in messages within the batching limits, while the window allows. */
  #send(): void {
    const { maxEntriesPerMessage, maxBytesPerMessage, maxInflight } = this.#limits;
    let at = this.#unsentAt;
    while (at < this.#unsent.length && this.#inflight.length < maxInflight) {
      let end = at;
      let bytes = 0;
      while (end < this.#unsent.length && end - at < maxEntriesPerMessage) {
        bytes += (this.#unsent[end] as Entry).command.length;
        if (end > at && bytes > maxBytesPerMessage) break;
        end++;
      }
      const entries = this.#unsent.slice(at, end);
      at = end;
      const first = entries[0] as Entry;
      const last = (entries.at(-1) as Entry).index;
      const args: AppendArgs = {
        term: 1,
        leaderId: 0,
        prevLogIndex: first.index - 1,
        prevLogTerm: 1,
        entries: entries.map((e) => ({ term: e.term, command: e.command, kind: 0 })),
        leaderCommit: this.#commit,
        readContext: 0,
      };
      this.#inflight.push(last);
      this.#followers.forEach((end, f) => {
        end.call(ReplicationBaseline.methods.Append, args).then(
          (result) => {
            if (!result.ok) {
              this.#failure = new Error(`baseline follower ${f + 1}: ${result.reason}`);
              return;
            }
            this.#match[f] = Math.max(this.#match[f] as number, result.reply.matchIndex);
            this.#advanceCommit();
          },
          (error: unknown) => {
            this.#failure = error;
          },
        );
      });
    }
    // Drop what was sent once it is most of the array (amortized O(1) per entry).
    if (at === this.#unsent.length) {
      this.#unsent = [];
      this.#unsentAt = 0;
    } else if (at > 4096 && at * 2 > this.#unsent.length) {
      this.#unsent = this.#unsent.slice(at);
      this.#unsentAt = 0;
    } else {
      this.#unsentAt = at;
    }
  }

  #advanceCommit(): void {
    const acks = [this.#persisted, ...this.#match].sort((a, b) => b - a);
    const commit = acks[this.#quorum - 1] as number;
    if (commit <= this.#commit) return;
    const from = this.#commit + 1;
    this.#commit = commit;
    while (this.#inflight.length > 0 && (this.#inflight[0] as number) <= commit) {
      this.#inflight.shift();
    }
    for (let i = from; i <= commit; i++) this.#listener(i);
    if (commit - this.#compacted >= this.#compactEvery) {
      this.#compacted = commit;
      compact(this.#storage, commit);
    }
    if (this.#unsentAt < this.#unsent.length) this.#send();
  }
}

/** Serves the follower side of the baseline on `rpc`: store, then acknowledge. */
export function addBaselineFollower(
  rpc: RpcServer,
  storage: Storage,
  compactEvery: number,
): RpcServer {
  let compacted = 0;
  return rpc.addService(ReplicationBaseline, {
    Append: async (args) => {
      const from = args.prevLogIndex + 1;
      const entries = args.entries.map((e, i) => ({
        term: e.term,
        index: from + i,
        command: e.command,
      }));
      const pending = storage.persist({ entries: { from, entries } });
      if (pending !== undefined) await pending;
      const matchIndex = args.prevLogIndex + entries.length;
      // Only what this follower holds may be compacted: the commit, capped at its own log.
      const through = Math.min(args.leaderCommit, matchIndex);
      if (through - compacted >= compactEvery) {
        compacted = through;
        compact(storage, compacted);
      }
      return {
        term: 1,
        success: true,
        prevLogIndex: args.prevLogIndex,
        matchIndex,
        conflictTerm: 0,
        conflictIndex: 0,
        lastLogIndex: matchIndex,
        readContext: 0,
      };
    },
  });
}

/** Drops the stored log up to `index` with an empty snapshot, as the Raft nodes compact. */
function compact(storage: Storage, index: number): void {
  const pending = storage.persist({
    snapshot: { meta: { index, term: 1 }, data: new Uint8Array(0) },
  });
  // A durable storage orders it before later appends; nothing waits on it.
  if (pending !== undefined) void pending;
}
