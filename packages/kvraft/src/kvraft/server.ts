import type { ClientEnd, Clock, Random, RpcServer, Timer, Tracer } from "@lab/labrpc";
import { noopTracer } from "@lab/labrpc";
import {
  type ApplyMsg,
  makeRaft,
  type Persister,
  type Raft,
  type RaftTuning,
  type Storage,
} from "@lab/raft";
import { KvUsageError } from "../errors.js";
import type {
  KvErr,
  KvGetArgs,
  KvGetReply,
  KvPutAppendArgs,
  KvPutAppendReply,
} from "./messages.js";
import { KvOp, type OpKind } from "./op.js";
import { type ApplyOutcome, KvStateMachine } from "./state-machine.js";

/** How a {@link KvRaftServer} serves Gets: see {@link KvRaftServiceOptions.reads}. */
export type KvReadPath = "read-index" | "log";

/** What every {@link KvRaftServer} takes, however its Raft peer is made. */
export interface KvRaftServiceOptions {
  /** This server's index (the course's `me`). */
  readonly me: number;
  /**
   * Snapshot once the persisted Raft state reaches about this many bytes (the course's
   * `maxraftstate`); `-1` never snapshots.
   */
  readonly maxRaftState: number;
  readonly clock: Clock;
  /** Receives Raft's trace events and this server's (`kv.start`, `kv.apply`, `kv.snapshot`). */
  readonly tracer?: Tracer;
  /**
   * How long an operation may take to commit before the server answers `ErrTimeout` and the
   * clerk tries elsewhere (default 1000 ms). A leader cut off from its majority never commits.
   */
  readonly requestTimeoutMs?: number;
  /** How often a waiting operation checks that its server is still leader in its term (50 ms). */
  readonly leadershipCheckMs?: number;
  /**
   * How Gets are served (both linearizable):
   * - `"read-index"` (default): Raft's ReadIndex confirms this server is still the leader with
   *   one heartbeat round (shared by every Get waiting at the time, or none at all with Raft's
   *   `readMode: "lease"`), and the Get is answered from the state once it has applied through
   *   the read's index. Nothing is appended to the log.
   * - `"log"`: every Get is an entry in the log, as in the course.
   */
  readonly reads?: KvReadPath;
  /**
   * Called with an error that stopped this server (a bug, storage that failed, a snapshot that
   * does not decode). The server is killed first; the error is also kept in `fatalError`.
   */
  readonly onFatal?: (error: unknown) => void;
}

/** Options of a {@link KvRaftServer} (the course's `StartKVServer` arguments, and more). */
export interface KvRaftServerOptions extends KvRaftServiceOptions {
  /** Client ends to every server's Raft, indexed by server (the course's `servers`). */
  readonly peers: readonly (ClientEnd | undefined)[];
  /** Where Raft keeps its state: the course's `Persister`, or any Raft `Storage`. */
  readonly persister: Persister | Storage;
  readonly random: Random;
  /** Passed to Raft. */
  readonly tickMs?: number;
  /** Passed to Raft. */
  readonly tuning?: RaftTuning;
}

/**
 * Where a {@link KvRaftServer} on a Raft peer made elsewhere takes its input: the peer's
 * `apply` callback must call `apply`, and its `onFatal` must call `fatal`.
 */
export interface KvRaftHooks {
  /** Applies one message Raft delivers, in log order. */
  readonly apply: (message: ApplyMsg<KvOp>) => void;
  /** Stops the server with the error that stopped its Raft peer. */
  readonly fatal: (error: unknown) => void;
}

/**
 * Options of a {@link KvRaftServer} whose Raft peer is made by the caller, for example by
 * `RaftServer` from `@lab/raft/server` (which is how `@lab/kvraft/server` runs over TCP).
 */
export interface KvRaftOnRaftOptions extends KvRaftServiceOptions {
  /**
   * Returns the Raft peer, its commands coded by {@link KvOp}, with `hooks` wired to its apply
   * and fatal callbacks. Called once, from the constructor; the peer may be running already, as
   * long as it has not delivered anything yet.
   */
  readonly raft: (hooks: KvRaftHooks) => Raft<KvOp>;
  /** The peer's storage, whose `raftStateSize()` decides when to snapshot. */
  readonly storage: { raftStateSize(): number };
}

/** A snapshot is taken when the Raft state reaches this fraction of `maxRaftState`. */
const SNAPSHOT_THRESHOLD = 0.9;

/** An operation submitted to Raft, waiting to be applied at `index`. */
interface Waiter {
  readonly term: number;
  readonly clientId: number;
  readonly seq: number;
  readonly kind: OpKind;
  readonly deadline: number;
  timer: Timer | undefined;
  readonly settle: (outcome: ApplyOutcome | KvErr) => void;
}

/**
 * A kvraft server (the course's lab 4 `KVServer`): it submits every write to Raft, applies
 * committed operations in log order to a {@link KvStateMachine}, and answers a client once its
 * operation was applied at the index Raft gave it.
 *
 * - Linearizable: a Get is answered only after Raft confirmed this server is still the leader
 *   (ReadIndex, the default) or after the Get itself committed through the log
 *   (`reads: "log"`), so a server that lost leadership, or a leader cut off from its majority,
 *   cannot answer from stale state (it answers `ErrWrongLeader` or `ErrTimeout`).
 * - At most once: writes carry `(clientId, seq)`; the state machine skips a write it has
 *   applied, whichever leader the retry reached, and the duplicate table is in the snapshots.
 * - Bounded log: with `maxRaftState > 0`, the server snapshots its state once the persisted Raft
 *   state nears that size, and restores from the snapshot Raft hands it on restart.
 *
 * Storage and transport are injected: the same server runs on the simulated network with the
 * course's Persister and over TCP with any Raft `Storage`. Given `peers`, it makes its own Raft
 * peer; given `raft` ({@link KvRaftOnRaftOptions}), it runs on one made by the caller, such as
 * the `RaftServer` that `startKvRaftServer` of `@lab/kvraft/server` opens on a directory.
 */
export class KvRaftServer {
  /** This server's index. */
  readonly me: number;
  /** The Raft peer underneath (the course's `kv.rf`). */
  readonly raft: Raft<KvOp>;
  readonly #machine = new KvStateMachine();
  readonly #waiters = new Map<number, Waiter>();
  readonly #storage: { raftStateSize(): number };
  readonly #maxRaftState: number;
  readonly #clock: Clock;
  readonly #requestTimeoutMs: number;
  readonly #checkMs: number;
  readonly #reads: KvReadPath;
  /**
   * The last term in which this server, as leader, put a no-op in the log for its reads. A new
   * leader's ReadIndex waits for an entry of its own term to commit (it cannot know the commit
   * index before that), and a service that only reads would otherwise wait forever.
   */
  #noopTerm = 0;
  readonly #trace: ((kind: string, details: Record<string, unknown>) => void) | undefined;
  readonly #onFatal: (error: unknown) => void;
  /** Raft state size when the last snapshot was handed to Raft (until it persists it). */
  #sizeAtSnapshot = -1;
  #killed = false;
  #fatalError: unknown;

  constructor(options: KvRaftServerOptions | KvRaftOnRaftOptions) {
    const maxRaftState = options.maxRaftState;
    if (!(Number.isSafeInteger(maxRaftState) && (maxRaftState === -1 || maxRaftState > 0))) {
      throw new KvUsageError(`maxRaftState must be -1 or a positive integer, got ${maxRaftState}`);
    }
    this.#requestTimeoutMs = positive("requestTimeoutMs", options.requestTimeoutMs ?? 1000);
    this.#checkMs = positive("leadershipCheckMs", options.leadershipCheckMs ?? 50);
    const reads = options.reads ?? "read-index";
    if (reads !== "read-index" && reads !== "log") {
      throw new KvUsageError(`reads must be "read-index" or "log", got ${String(reads)}`);
    }
    this.#reads = reads;
    this.me = options.me;
    this.#maxRaftState = maxRaftState;
    this.#clock = options.clock;
    this.#onFatal = options.onFatal ?? (() => {});
    const tracer = options.tracer ?? noopTracer;
    if (tracer.enabled) {
      const node = String(options.me);
      this.#trace = (kind, details) =>
        tracer.record({ ...details, time: options.clock.now(), node, kind });
    }
    if ("raft" in options) {
      if (typeof options.raft !== "function") {
        throw new KvUsageError("raft must be a function returning the Raft peer");
      }
      this.#storage = options.storage;
      this.raft = options.raft({
        apply: (message) => this.#apply(message),
        fatal: (error) => this.#fatal(error),
      });
      return;
    }
    this.#storage = options.persister;
    this.raft = makeRaft<KvOp>({
      peers: options.peers,
      me: options.me,
      persister: options.persister,
      clock: options.clock,
      random: options.random,
      codec: KvOp,
      apply: (message) => this.#apply(message),
      onFatal: (error) => this.#fatal(error),
      ...(options.tracer === undefined ? {} : { tracer: options.tracer }),
      ...(options.tickMs === undefined ? {} : { tickMs: options.tickMs }),
      ...(options.tuning === undefined ? {} : { tuning: options.tuning }),
    });
  }

  /**
   * Serves a Get (through ReadIndex or the log, see {@link KvRaftServiceOptions.reads}): the
   * key's value, `ErrNoKey` when it was never written.
   */
  async get(args: KvGetArgs): Promise<KvGetReply> {
    const outcome =
      this.#reads === "log"
        ? await this.#submit({ kind: "get", key: args.key, value: "", ...ids(args) })
        : await this.#readIndexGet(args.key);
    if (typeof outcome === "string") return { err: outcome, value: "" };
    return { err: outcome.noKey ? "ErrNoKey" : "OK", value: outcome.value };
  }

  /** Serves a Put once it is applied (or found already applied). */
  async put(args: KvPutAppendArgs): Promise<KvPutAppendReply> {
    return writeReply(await this.#submit({ kind: "put", ...args }));
  }

  /** Serves an Append once it is applied (or found already applied). */
  async append(args: KvPutAppendArgs): Promise<KvPutAppendReply> {
    return writeReply(await this.#submit({ kind: "append", ...args }));
  }

  /** The value of `key` in this server's copy of the state (for tests; not linearizable). */
  peek(key: string): string {
    return this.#machine.peek(key);
  }

  /** What this server holds and how far it has applied. */
  stats(): {
    readonly applied: number;
    readonly keys: number;
    readonly valueChars: number;
    readonly clients: number;
    readonly waiting: number;
  } {
    return {
      applied: this.#machine.applied,
      ...this.#machine.stats(),
      waiting: this.#waiters.size,
    };
  }

  /** Registers the `Raft` service on `rpc` (the `KVServer` service: see `addKvRaftService`). */
  registerRaft(rpc: RpcServer): void {
    this.raft.register(rpc);
  }

  /** The course's `Kill`: stops Raft; operations still waiting answer `ErrWrongLeader`. */
  kill(): void {
    if (this.#killed) return;
    this.#killed = true;
    this.raft.kill();
    for (const waiter of [...this.#waiters.values()]) this.#settle(waiter, "ErrWrongLeader");
    this.#waiters.clear();
  }

  /** Whether {@link KvRaftServer.kill} ran, or an error stopped this server. */
  get killed(): boolean {
    return this.#killed;
  }

  /** The error that stopped this server, if one did. */
  get fatalError(): unknown {
    return this.#fatalError;
  }

  // ---------------------------------------------------------------------------------------

  /**
   * A Get without the log: Raft confirms leadership for a read index, this server waits until it
   * has applied through it, then reads its own state. Any state at or after the read index is
   * linearizable: it holds every write acknowledged before the Get arrived, and writes applied
   * since committed while the Get was in progress.
   */
  async #readIndexGet(key: string): Promise<ApplyOutcome | KvErr> {
    if (this.#killed) return "ErrWrongLeader";
    const state = this.raft.getState();
    if (!state.isLeader) return "ErrWrongLeader";
    this.#ensureNoop(state.term);
    let timer: Timer | undefined;
    const timedOut = new Promise<"ErrTimeout">((resolve) => {
      timer = this.#clock.setTimer(this.#requestTimeoutMs, () => resolve("ErrTimeout"));
    });
    const read = await Promise.race([this.raft.readIndex({ waitForApply: true }), timedOut]);
    timer?.cancel();
    if (read === "ErrTimeout") return "ErrTimeout";
    if (!read.ok || this.#killed) return "ErrWrongLeader";
    this.#trace?.("kv.read", { index: read.index, applied: this.#machine.applied, key });
    return this.#machine.read(key);
  }

  /** Puts one no-op in the log per term in which this leader serves reads (see `#noopTerm`). */
  #ensureNoop(term: number): void {
    if (this.#noopTerm === term) return;
    this.#noopTerm = term;
    const started = this.raft.start({ kind: "noop", key: "", value: "", clientId: 0, seq: 0 });
    this.#trace?.("kv.noop", { index: started.index, term, leader: started.isLeader });
  }

  #submit(op: KvOp): Promise<ApplyOutcome | KvErr> {
    if (this.#killed) return Promise.resolve("ErrWrongLeader");
    const { index, term, isLeader } = this.raft.start(op);
    if (!isLeader) return Promise.resolve("ErrWrongLeader");
    this.#trace?.("kv.start", {
      index,
      op: op.kind,
      key: op.key,
      client: op.clientId,
      seq: op.seq,
    });
    // A waiter already at this index was started in an earlier term and its entry was replaced.
    const stale = this.#waiters.get(index);
    if (stale !== undefined) this.#settle(stale, "ErrWrongLeader");
    return new Promise((resolve) => {
      const waiter: Waiter = {
        term,
        clientId: op.clientId,
        seq: op.seq,
        kind: op.kind,
        deadline: this.#clock.now() + this.#requestTimeoutMs,
        timer: undefined,
        settle: resolve,
      };
      this.#waiters.set(index, waiter);
      this.#watch(index, waiter);
    });
  }

  /** Rechecks leadership every few ms until the waiter is settled or its deadline passes. */
  #watch(index: number, waiter: Waiter): void {
    const delay = Math.min(this.#checkMs, Math.max(0, waiter.deadline - this.#clock.now()));
    waiter.timer = this.#clock.setTimer(delay, () => {
      if (this.#waiters.get(index) !== waiter) return;
      const state = this.raft.getState();
      if (!state.isLeader || state.term !== waiter.term) {
        this.#drop(index, "ErrWrongLeader");
      } else if (this.#clock.now() >= waiter.deadline) {
        this.#drop(index, "ErrTimeout");
      } else {
        this.#watch(index, waiter);
      }
    });
  }

  #drop(index: number, err: KvErr): void {
    const waiter = this.#waiters.get(index);
    if (waiter === undefined) return;
    this.#waiters.delete(index);
    this.#settle(waiter, err);
  }

  #settle(waiter: Waiter, outcome: ApplyOutcome | KvErr): void {
    waiter.timer?.cancel();
    waiter.settle(outcome);
  }

  #apply(message: ApplyMsg<KvOp>): void {
    if (this.#killed) return;
    if (message.snapshotValid) {
      if (message.snapshotIndex <= this.#machine.applied) return;
      this.#machine.restore(message.snapshot);
      this.#trace?.("kv.restore", { index: message.snapshotIndex });
      // Operations inside the snapshot were applied elsewhere; their clients retry, and the
      // restored duplicate table answers retried writes without applying them again.
      for (const index of [...this.#waiters.keys()]) {
        if (index <= message.snapshotIndex) this.#drop(index, "ErrWrongLeader");
      }
      return;
    }
    if (!message.commandValid) {
      // A Raft membership change: it holds no operation, but takes its log index.
      const index = message.configIndex;
      if (index <= this.#machine.applied) return;
      this.#machine.skip(index);
      this.#drop(index, "ErrWrongLeader");
      this.#maybeSnapshot(index);
      return;
    }
    const index = message.commandIndex;
    if (index <= this.#machine.applied) return;
    const op = message.command;
    const outcome = this.#machine.apply(index, op);
    const waiter = this.#waiters.get(index);
    if (waiter !== undefined) {
      this.#waiters.delete(index);
      const mine =
        waiter.clientId === op.clientId && waiter.seq === op.seq && waiter.kind === op.kind;
      this.#settle(waiter, mine ? outcome : "ErrWrongLeader");
    }
    this.#maybeSnapshot(index);
  }

  #maybeSnapshot(index: number): void {
    if (this.#maxRaftState < 0) return;
    const size = this.#storage.raftStateSize();
    // Until Raft persists the compaction the size does not drop: do not snapshot again for it.
    if (size < this.#maxRaftState * SNAPSHOT_THRESHOLD || size === this.#sizeAtSnapshot) return;
    this.#sizeAtSnapshot = size;
    const bytes = this.#machine.snapshot();
    this.#trace?.("kv.snapshot", { index, bytes: bytes.length, raftStateBytes: size });
    this.raft.snapshot(index, bytes);
  }

  #fatal(error: unknown): void {
    if (this.#killed) return;
    this.#fatalError = error;
    this.kill();
    this.#onFatal(error);
  }
}

function ids(args: KvGetArgs): { clientId: number; seq: number } {
  return { clientId: args.clientId, seq: args.seq };
}

function writeReply(outcome: ApplyOutcome | KvErr): KvPutAppendReply {
  return { err: typeof outcome === "string" ? outcome : "OK" };
}

function positive(name: string, value: number): number {
  if (!(value > 0 && Number.isFinite(value))) {
    throw new KvUsageError(`${name} must be a finite number > 0, got ${value}`);
  }
  return value;
}
