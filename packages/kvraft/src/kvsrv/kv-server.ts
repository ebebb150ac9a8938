import type { Clock, Tracer } from "@lab/labrpc";
import { noopTracer } from "@lab/labrpc";
import { KvUsageError } from "../errors.js";
import { DedupTable } from "./dedup-table.js";
import { KvStore } from "./kv-store.js";
import type { AppendReply, GetArgs, GetReply, PutAppendArgs } from "./messages.js";

/** Options of a {@link KvServer}. */
export interface KvServerOptions {
  /** Receives a trace event per request (`kvsrv.get`, `kvsrv.put`, `kvsrv.append`). */
  readonly tracer?: Tracer;
  /** Stamps trace events; required with an enabled `tracer`. */
  readonly clock?: Clock;
}

/** What a {@link KvServer} holds, for tests and dashboards. */
export interface KvServerStats {
  /** Keys with a non-empty value. */
  readonly keys: number;
  /** Total length of the values (UTF-16 code units). */
  readonly valueChars: number;
  /** Clerks that have written: one sequence number each. */
  readonly writers: number;
  /** Append replies kept until their clerk's next request. */
  readonly heldReplies: number;
  /** Total length of those replies (UTF-16 code units). */
  readonly heldReplyChars: number;
}

/**
 * The course's lab 2 server: a single key/value server whose Puts and Appends execute at most
 * once however often a clerk retries them, and whose Append returns the value it appended to.
 *
 * It is plain synchronous code with no timers, I/O or promises: the transport calls
 * {@link KvServer.get}, {@link KvServer.put} and {@link KvServer.append} (see
 * `addKvsrvService`), so the same server runs on the simulated network and over TCP.
 */
export class KvServer {
  readonly #store = new KvStore();
  readonly #dedup = new DedupTable();
  readonly #trace: ((kind: string, details: Record<string, unknown>) => void) | undefined;

  constructor(options: KvServerOptions = {}) {
    const tracer = options.tracer ?? noopTracer;
    const clock = options.clock;
    if (tracer.enabled) {
      if (clock === undefined) throw new KvUsageError("a KvServer with a tracer needs a clock");
      this.#trace = (kind, details) => tracer.record({ ...details, time: clock.now(), kind });
    }
  }

  /** Serves a Get: the key's current value. Leaves no per-clerk state behind. */
  get(args: GetArgs): GetReply {
    this.#dedup.acknowledge(args.clientId, args.seq);
    const value = this.#store.get(args.key);
    this.#trace?.("kvsrv.get", { client: args.clientId, seq: args.seq, key: args.key });
    return { value };
  }

  /** Serves a Put, executing it unless it is a retry of one already executed. */
  put(args: PutAppendArgs): void {
    this.#dedup.acknowledge(args.clientId, args.seq);
    const check = this.#dedup.check(args.clientId, args.seq);
    if (!check.duplicate) {
      this.#store.put(args.key, args.value);
      this.#dedup.recordPut(args.clientId, args.seq);
    }
    this.#trace?.("kvsrv.put", {
      client: args.clientId,
      seq: args.seq,
      key: args.key,
      duplicate: check.duplicate,
    });
  }

  /**
   * Serves an Append, executing it unless it is a retry of one already executed, and answers
   * the value the key held just before the append (a retry gets the first execution's answer).
   */
  append(args: PutAppendArgs): AppendReply {
    this.#dedup.acknowledge(args.clientId, args.seq);
    const check = this.#dedup.check(args.clientId, args.seq);
    let old: string;
    if (check.duplicate) {
      old = check.oldValue;
    } else {
      old = this.#store.append(args.key, args.value);
      this.#dedup.recordAppend(args.clientId, args.seq, old);
    }
    this.#trace?.("kvsrv.append", {
      client: args.clientId,
      seq: args.seq,
      key: args.key,
      duplicate: check.duplicate,
    });
    return { value: old };
  }

  /** Counts of what the server holds. */
  stats(): KvServerStats {
    return {
      keys: this.#store.size,
      valueChars: this.#store.valueChars(),
      writers: this.#dedup.writers,
      heldReplies: this.#dedup.unackedReplies,
      heldReplyChars: this.#dedup.unackedChars(),
    };
  }
}
