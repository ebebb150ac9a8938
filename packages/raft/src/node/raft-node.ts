import type { CallResult, ClientEnd, Clock, Random, RpcServer, Timer, Tracer } from "@lab/labrpc";
import { noopTracer } from "@lab/labrpc";
import type { Configuration } from "../core/configuration.js";
import { decodeConfiguration } from "../core/configuration.js";
import { type MembershipChange, MembershipChangeError } from "../core/membership.js";
import type { Message, ReplyMessage, RequestMessage } from "../core/messages.js";
import type { RaftCoreConfig, RaftStatus } from "../core/raft-core.js";
import { RaftCore } from "../core/raft-core.js";
import type { ReadRequestId } from "../core/read-only.js";
import type { Ready } from "../core/ready.js";
import type { PeerId } from "../core/types.js";
import type { Storage, StorageUpdate } from "../storage/storage.js";
import { type ApplyMsg, applyMsgIndex } from "./apply-msg.js";
import {
  appendEntriesFromWire,
  appendEntriesReplyFromWire,
  appendEntriesToWire,
  installSnapshotFromWire,
  installSnapshotReplyFromWire,
  installSnapshotToWire,
  RaftService,
  requestVoteFromWire,
  requestVoteReplyFromWire,
  requestVoteToWire,
  timeoutNowFromWire,
  timeoutNowToWire,
} from "./raft-service.js";
import {
  ApplyWaiters,
  type PendingNodeRead,
  type PendingNodeTransfer,
  type ReadIndexOptions,
  type ReadIndexResult,
  type TransferLeadershipResult,
} from "./read-and-transfer.js";

interface PersistWaiter {
  readonly version: number;
  readonly resolve: () => void;
}

/** A Ready's update handed to the storage and not yet reported durable (in Ready order). */
interface InflightPersist {
  /** The Ready to report to `core.persisted`; absent for Readies that persisted nothing. */
  readonly ready: Ready | undefined;
  /** Inputs up to this version are durable once this and every earlier persist are. */
  version: number;
  /** The storage finished with it (it may still wait for earlier ones). */
  done: boolean;
  /** The pump waits for this one (a Ready whose messages need it persisted first). */
  onReported?: () => void;
}

/**
 * Core settings a driver user may tune (timeouts in ticks, batching limits). A
 * {@link RaftNode} defaults `asyncStorageWrites` to `true`.
 */
export type RaftTuning = Omit<
  RaftCoreConfig,
  "id" | "peerCount" | "random" | "trace" | "initialConfiguration"
>;

/** A membership change that committed. */
export interface MembershipChangeResult {
  /** Index and term of its config entry. */
  readonly index: number;
  readonly term: number;
  /** The configuration from `index` on. */
  readonly config: Configuration;
}

interface PendingChange {
  readonly index: number;
  readonly term: number;
  readonly config: Configuration;
  readonly resolve: (result: MembershipChangeResult) => void;
  readonly reject: (error: MembershipChangeError) => void;
}

export interface RaftNodeOptions {
  /** This peer's index in `peers`. */
  readonly id: PeerId;
  /** A client end per peer, indexed by peer id; the entry for `id` itself is not used. */
  readonly peers: readonly (ClientEnd | undefined)[];
  /**
   * The cluster's configuration before any config entry says otherwise (see
   * `RaftCoreConfig.initialConfiguration`). Default: every peer of `peers` a voter. A peer
   * that joins a running cluster passes `EMPTY_CONFIGURATION` and waits to be added.
   */
  readonly initialConfiguration?: Configuration;
  /**
   * A client end for a peer `peers` has none for (one added by a membership change); called
   * once per peer id, the end is kept. Without it such peers are unreachable.
   */
  readonly resolvePeer?: (id: PeerId) => ClientEnd | undefined;
  readonly storage: Storage;
  readonly clock: Clock;
  readonly random: Random;
  /**
   * Receives committed commands and installed snapshots, in log order, exactly once each. The
   * node waits for a returned promise before handing over the next message.
   */
  readonly apply: (message: ApplyMsg) => void | Promise<void>;
  readonly tracer?: Tracer;
  /** Length of a tick in milliseconds (default 10): elections and heartbeats count ticks. */
  readonly tickMs?: number;
  /** Give up on an RPC after this long (default: never; the transport decides). */
  readonly rpcTimeoutMs?: number;
  readonly tuning?: RaftTuning;
  /** Called with an error that must stop this node (a bug or a broken storage). */
  readonly onFatal?: (error: unknown) => void;
}

/**
 * Runs a {@link RaftCore} with real effects: ticks from the injected clock, messages over the
 * injected transport, persistence through the injected storage, and committed entries handed
 * to the service. It answers an RPC only once what the RPC changed is durable, and applies
 * entries in order, exactly once, on a queue of their own so a slow service never delays
 * replication.
 *
 * With `tuning.asyncStorageWrites` (the default) a leader sends new entries to its followers
 * while it persists them itself, and hands the storage the next batch while the last one is
 * still syncing (a storage that group-commits, as `DiskStorage`, then syncs them together):
 * its own fsync no longer adds to every commit's latency. It counts itself towards a quorum
 * only for entries its storage confirmed. Set it to `false` to persist each batch before
 * sending anything, as the course's Raft does.
 */
export class RaftNode {
  readonly id: PeerId;
  readonly #core: RaftCore;
  readonly #peers: readonly (ClientEnd | undefined)[];
  readonly #resolvePeer: ((id: PeerId) => ClientEnd | undefined) | undefined;
  /** Ends `resolvePeer` gave (or `undefined`: it had none). */
  readonly #resolved = new Map<PeerId, ClientEnd | undefined>();
  readonly #storage: Storage;
  readonly #clock: Clock;
  readonly #apply: (message: ApplyMsg) => void | Promise<void>;
  readonly #tracer: Tracer;
  readonly #tickMs: number;
  readonly #rpcTimeoutMs: number | undefined;
  readonly #onFatal: (error: unknown) => void;
  readonly #electionMax: number;

  #killed = false;
  #tickTimer: Timer | undefined;
  /** Bumped by every input to the core; `#persistedVersion` trails it. */
  #version = 0;
  #persistedVersion = 0;
  #waiters: PersistWaiter[] = [];
  /** Persists under way, oldest first (asyncStorageWrites lets several overlap). */
  #inflight: InflightPersist[] = [];
  #pumping = false;
  #pumpScheduled = false;
  /** Messages to apply, from `#applyHead` on (a head index: `shift` is O(n) on long arrays). */
  #applyQueue: ApplyMsg[] = [];
  #applyHead = 0;
  #applying = false;

  // Reads and leadership transfers the caller waits on.
  #nextReadId = 1;
  readonly #pendingReads = new Map<ReadRequestId, PendingNodeRead>();
  readonly #applyWaiters = new ApplyWaiters();
  /** Last index whose ApplyMsg the service's `apply` has finished with. */
  #appliedThrough = 0;
  #pendingTransfers: PendingNodeTransfer[] = [];
  #pendingChanges: PendingChange[] = [];

  constructor(options: RaftNodeOptions) {
    this.id = options.id;
    this.#peers = options.peers;
    this.#resolvePeer = options.resolvePeer;
    this.#storage = options.storage;
    this.#clock = options.clock;
    this.#apply = options.apply;
    this.#tracer = options.tracer ?? noopTracer;
    this.#tickMs = options.tickMs ?? 10;
    this.#rpcTimeoutMs = options.rpcTimeoutMs;
    this.#onFatal = options.onFatal ?? ((error) => console.error(`raft node ${this.id}:`, error));
    this.#electionMax = options.tuning?.electionTicks?.max ?? 100;
    const tracer = this.#tracer;
    this.#core = new RaftCore(
      {
        ...options.tuning,
        asyncStorageWrites: options.tuning?.asyncStorageWrites ?? true,
        id: options.id,
        ...(options.initialConfiguration !== undefined
          ? { initialConfiguration: options.initialConfiguration }
          : { peerCount: options.peers.length }),
        random: options.random,
        trace: (kind, details) => {
          if (!tracer.enabled) return;
          const core = this.#core;
          tracer.record({
            ...details,
            time: this.#clock.now(),
            node: String(this.id),
            term: core?.term ?? 0,
            role: core?.role ?? "follower",
            kind,
          });
        },
      },
      options.storage.initialState(),
    );
    this.#scheduleTick();
    this.#schedulePump();
  }

  /**
   * Proposes a command. Returns at once with the index it will have if committed, the current
   * term, and whether this peer is the leader (when it is not, nothing was proposed).
   */
  start(command: Uint8Array): { index: number; term: number; isLeader: boolean } {
    if (this.#killed) return { index: -1, term: this.#core.term, isLeader: false };
    const proposed = this.#core.propose(command);
    if (proposed === undefined) return { index: -1, term: this.#core.term, isLeader: false };
    this.#changed();
    return { index: proposed.index, term: proposed.term, isLeader: true };
  }

  /**
   * A linearizable read without a log entry (ReadIndex; see `RaftCore.readIndex`). Resolves
   * with `{ ok: true, index }` once the leader has confirmed that it still leads: the read may
   * then be served from the service's state as soon as the service has applied the log through
   * `index` (the service must wait until its applied index is at least `index`; with
   * `waitForApply` the promise resolves only once `apply` has returned for it). Resolves with
   * `ok: false` when this peer does not lead, stops leading first, or is killed; never rejects.
   *
   * A leader elected with uncommitted entries of earlier terms holds reads until an entry of
   * its own term commits (the course appends no no-op on election). With check-quorum, a
   * leader cut off from its majority steps down within two minimum election timeouts and its
   * pending reads resolve `stepped-down`; without it they wait until it hears of a later term,
   * so a caller that needs a bound adds its own timeout.
   */
  readIndex(options: ReadIndexOptions = {}): Promise<ReadIndexResult> {
    if (this.#killed) return Promise.resolve({ ok: false, reason: "killed" });
    const id = this.#nextReadId++;
    if (this.#core.readIndex(id) === "not-leader") {
      return Promise.resolve({ ok: false, reason: "not-leader" });
    }
    const waitForApply = options.waitForApply === true;
    const result = new Promise<ReadIndexResult>((resolve) => {
      this.#pendingReads.set(id, { id, waitForApply, resolve });
    });
    this.#changed();
    return result;
  }

  /**
   * Hands leadership to peer `to` (see `RaftCore.transferLeadership`): while it runs, `start`
   * refuses commands (`isLeader: false`). Resolves with `{ ok: true, term }` once this peer hears
   * from `to` as the leader of `term`, or with `ok: false` and the reason (`not-leader`,
   * `aborted` after the minimum election timeout with this peer still leading, `failed`,
   * `killed`); never rejects.
   *
   * @throws RaftUsageError at once when `to` is not a peer of the cluster, or is this peer
   */
  transferLeadership(to: PeerId): Promise<TransferLeadershipResult> {
    if (this.#killed) return Promise.resolve({ ok: false, reason: "killed" });
    if (!this.#core.transferLeadership(to)) {
      return Promise.resolve({ ok: false, reason: "not-leader" });
    }
    const fromTerm = this.#core.term;
    const result = new Promise<TransferLeadershipResult>((resolve) => {
      this.#pendingTransfers.push({ to, fromTerm, resolve });
    });
    this.#changed();
    return result;
  }

  /**
   * Changes the cluster's membership by one peer (see `RaftCore.proposeConfigChange`): add a
   * learner, promote a learner that has caught up, demote a voter, or remove a peer. Resolves
   * once the change commits. A leader elected without an entry of its term yet first commits
   * one (this waits up to `waitMs`, default two maximum election timeouts, for it).
   *
   * @throws (rejects with) MembershipChangeError: refused (`reason` says why, nothing
   *   changed), or `stepped-down` when this peer lost leadership and the entry was replaced by
   *   another leader's, or `killed`. If this peer loses leadership and the entry survives, the
   *   promise resolves when it commits under the new leader.
   */
  async changeMembership(
    change: MembershipChange,
    options: { readonly waitMs?: number } = {},
  ): Promise<MembershipChangeResult> {
    const waitMs = options.waitMs ?? 2 * this.#tickMs * (this.#electionMaxTicks() + 1);
    const deadline = this.#clock.now() + waitMs;
    for (;;) {
      if (this.#killed) throw killedError();
      const proposed = this.#core.proposeConfigChange(change);
      this.#changed();
      if (proposed.ok) {
        return new Promise<MembershipChangeResult>((resolve, reject) => {
          this.#pendingChanges.push({
            index: proposed.index,
            term: proposed.term,
            config: proposed.config,
            resolve,
            reject,
          });
        });
      }
      const reason = proposed.error.reason;
      // The leader's first entry of its term (or the previous change) will commit soon.
      const transient = reason === "term-not-committed" || reason === "change-in-progress";
      if (!transient || this.#clock.now() >= deadline) throw proposed.error;
      await this.#clock.sleep(this.#tickMs);
    }
  }

  /**
   * Adds peer `id` as a voter the safe way: as a learner first, then, once it has caught up
   * with the leader's log, promoted. Resolves with the promotion once it commits.
   *
   * @param options.catchUpMs how long the learner may take to catch up (default 10 s)
   * @throws (rejects with) MembershipChangeError as {@link changeMembership}, or
   *   `learner-behind` when it did not catch up in time (it stays a learner)
   */
  async addVoter(
    id: PeerId,
    options: { readonly catchUpMs?: number } = {},
  ): Promise<MembershipChangeResult> {
    await this.changeMembership({ type: "add-learner", id });
    const deadline = this.#clock.now() + (options.catchUpMs ?? 10_000);
    for (;;) {
      try {
        return await this.changeMembership({ type: "promote", id });
      } catch (error) {
        const behind = error instanceof MembershipChangeError && error.reason === "learner-behind";
        if (!behind || this.#clock.now() >= deadline) throw error;
        await this.#clock.sleep(this.#tickMs * 5);
      }
    }
  }

  /** The configuration in effect on this peer (the latest config entry it holds). */
  configuration(): Configuration {
    return this.#core.configuration;
  }

  /** The current term and whether this peer believes it is the leader. */
  getState(): { term: number; isLeader: boolean } {
    return { term: this.#core.term, isLeader: !this.#killed && this.#core.role === "leader" };
  }

  /** The service's state covers the log up to `index`: compact the log. */
  snapshot(index: number, data: Uint8Array): void {
    if (this.#killed) return;
    this.#core.compact(index, data);
    this.#changed();
  }

  /** Stops the node: no more ticks, messages, persistence or applies. */
  kill(): void {
    this.#killed = true;
    this.#tickTimer?.cancel();
    this.#applyQueue = [];
    this.#applyHead = 0;
    for (const w of this.#waiters) w.resolve();
    this.#waiters = [];
    for (const p of this.#inflight) p.onReported?.();
    this.#inflight = [];
    for (const read of this.#pendingReads.values()) read.resolve({ ok: false, reason: "killed" });
    this.#pendingReads.clear();
    this.#applyWaiters.failAll();
    for (const t of this.#pendingTransfers) t.resolve({ ok: false, reason: "killed" });
    this.#pendingTransfers = [];
    for (const c of this.#pendingChanges) c.reject(killedError());
    this.#pendingChanges = [];
  }

  get killed(): boolean {
    return this.#killed;
  }

  status(): RaftStatus {
    return this.#core.status();
  }

  /**
   * Serves this node's RPCs (`Raft.RequestVote`, `Raft.AppendEntries`, `Raft.InstallSnapshot`,
   * `Raft.TimeoutNow`).
   */
  register(server: RpcServer): void {
    server.addService(RaftService, {
      RequestVote: async (args) =>
        wireReply(await this.handle(requestVoteFromWire(args, this.id)), "RequestVoteReply"),
      AppendEntries: async (args) =>
        wireReply(await this.handle(appendEntriesFromWire(args, this.id)), "AppendEntriesReply"),
      InstallSnapshot: async (args) =>
        wireReply(
          await this.handle(installSnapshotFromWire(args, this.id)),
          "InstallSnapshotReply",
        ),
      TimeoutNow: async (args) => {
        await this.handle(timeoutNowFromWire(args, this.id));
        return { term: this.#core.term };
      },
    });
  }

  /**
   * Handles a request from a peer and resolves to the reply once everything the request changed
   * is persisted. A killed node answers with term 0, which every peer ignores as stale.
   */
  async handle(request: RequestMessage): Promise<ReplyMessage | undefined> {
    if (this.#killed) return undefined;
    const reply = this.#core.step(request);
    const version = this.#changed();
    await this.#persisted(version);
    return this.#killed ? undefined : reply;
  }

  // ---------------------------------------------------------------------------------------

  #scheduleTick(): void {
    this.#tickTimer = this.#clock.setTimer(this.#tickMs, () => {
      if (this.#killed) return;
      this.#core.tick();
      this.#changed();
      this.#scheduleTick();
    });
  }

  /** Records that the core took an input; returns the version that must be persisted for it. */
  #changed(): number {
    this.#version++;
    this.#schedulePump();
    return this.#version;
  }

  /** Pumps on a microtask, so that inputs arriving together share one Ready (one fsync). */
  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    queueMicrotask(() => {
      this.#pumpScheduled = false;
      this.#pump().catch((error: unknown) => this.#fatal(error));
    });
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (!this.#killed) {
        if (!this.#core.hasReady()) {
          this.#persistInOrder(undefined, this.#version);
          return;
        }
        const version = this.#version;
        const ready = this.#core.ready();
        const inflight = this.#persistInOrder(ready, version);
        if (inflight !== undefined && ready.mustPersistBeforeSend) {
          await new Promise<void>((resolve) => {
            const earlier = inflight.onReported;
            inflight.onReported = () => {
              earlier?.();
              resolve();
            };
          });
          if (this.#killed) return;
        }
        for (const message of ready.messages) this.#send(message);
        this.#enqueueApplies(ready);
        this.#settleReadsAndTransfers(ready);
        this.#core.advance(ready);
      }
    } finally {
      this.#pumping = false;
    }
  }

  /**
   * Hands `ready`'s update (if any) to the storage. Reports it durable (`core.persisted`, and
   * the inputs up to `version`) at once if the storage finished and nothing is in flight;
   * otherwise returns its place in the queue of persists, reported in order as they finish.
   */
  #persistInOrder(ready: Ready | undefined, version: number): InflightPersist | undefined {
    const update = ready === undefined ? undefined : storageUpdate(ready);
    const pending = update === undefined ? undefined : this.#storage.persist(update);
    if (this.#inflight.length === 0 && pending === undefined) {
      if (update !== undefined) this.#core.persisted(ready as Ready);
      this.#markPersisted(version);
      return undefined;
    }
    const last = this.#inflight.at(-1);
    if (update === undefined && last !== undefined) {
      // Nothing new to persist: these inputs are durable with the last persist under way.
      last.version = Math.max(last.version, version);
      return last;
    }
    const entry: InflightPersist = {
      ready: update === undefined ? undefined : ready,
      version,
      done: false,
    };
    this.#inflight.push(entry);
    if (pending === undefined) {
      entry.done = true;
    } else {
      pending.then(
        () => {
          entry.done = true;
          this.#reportDurable();
        },
        (error: unknown) => this.#fatal(error),
      );
    }
    return entry;
  }

  /** Reports the persists that finished, in order, up to the first still under way. */
  #reportDurable(): void {
    let reported = false;
    while (
      !this.#killed &&
      this.#inflight.length > 0 &&
      (this.#inflight[0] as InflightPersist).done
    ) {
      const entry = this.#inflight.shift() as InflightPersist;
      if (entry.ready !== undefined) this.#core.persisted(entry.ready);
      this.#markPersisted(entry.version);
      entry.onReported?.();
      reported = true;
    }
    // The core may now commit (a leader's own log counts) and apply more.
    if (reported) this.#schedulePump();
  }

  #markPersisted(version: number): void {
    if (version <= this.#persistedVersion) return;
    this.#persistedVersion = version;
    const still: PersistWaiter[] = [];
    for (const w of this.#waiters) {
      if (w.version <= version) w.resolve();
      else still.push(w);
    }
    this.#waiters = still;
  }

  #persisted(version: number): Promise<void> {
    if (version <= this.#persistedVersion || this.#killed) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ version, resolve }));
  }

  #endFor(id: PeerId): ClientEnd | undefined {
    const given = this.#peers[id];
    if (given !== undefined || this.#resolvePeer === undefined) return given;
    if (!this.#resolved.has(id)) this.#resolved.set(id, this.#resolvePeer(id));
    return this.#resolved.get(id);
  }

  #send(message: Message): void {
    const end = this.#endFor(message.to);
    if (end === undefined) return;
    const options = this.#rpcTimeoutMs === undefined ? {} : { timeoutMs: this.#rpcTimeoutMs };
    const from = message.to;
    const onReply = <T>(result: CallResult<T>, toCore: (reply: T) => ReplyMessage) => {
      if (!result.ok || this.#killed) return;
      this.#core.step(toCore(result.reply));
      this.#changed();
    };
    const onError = (error: unknown) => this.#fatal(error);
    switch (message.type) {
      case "RequestVote":
        end
          .call(RaftService.methods.RequestVote, requestVoteToWire(message), options)
          .then((r) => onReply(r, (w) => requestVoteReplyFromWire(w, from, this.id)), onError);
        return;
      case "AppendEntries":
        end
          .call(RaftService.methods.AppendEntries, appendEntriesToWire(message), options)
          .then((r) => onReply(r, (w) => appendEntriesReplyFromWire(w, from, this.id)), onError);
        return;
      case "InstallSnapshot":
        end
          .call(RaftService.methods.InstallSnapshot, installSnapshotToWire(message), options)
          .then((r) => onReply(r, (w) => installSnapshotReplyFromWire(w, from, this.id)), onError);
        return;
      case "TimeoutNow":
        // No reply to act on: the election the target starts is the answer.
        end
          .call(RaftService.methods.TimeoutNow, timeoutNowToWire(message), options)
          .then(() => {}, onError);
        return;
      default:
        // Replies travel as RPC results, never as messages of their own.
        this.#fatal(new Error(`core emitted a reply as a message: ${message.type}`));
    }
  }

  #enqueueApplies(ready: Ready): void {
    const snap = ready.snapshotToApply;
    if (snap !== undefined) {
      this.#applyQueue.push({
        commandValid: false,
        snapshotValid: true,
        snapshot: snap.data,
        snapshotIndex: snap.meta.index,
        snapshotTerm: snap.meta.term,
      });
    }
    for (const e of ready.committed) {
      if (e.kind === "config") {
        this.#applyQueue.push({
          commandValid: false,
          snapshotValid: false,
          configValid: true,
          config: decodeConfiguration(e.command),
          configIndex: e.index,
          configTerm: e.term,
        });
        continue;
      }
      this.#applyQueue.push({
        commandValid: true,
        command: e.command,
        commandIndex: e.index,
        commandTerm: e.term,
        snapshotValid: false,
      });
    }
    if (this.#applyHead < this.#applyQueue.length && !this.#applying) {
      this.#applyLoop().catch((error: unknown) => this.#fatal(error));
    }
  }

  /** Resolves the reads and transfers the Ready reports on. */
  #settleReadsAndTransfers(ready: Ready): void {
    for (const state of ready.readStates) {
      const read = this.#pendingReads.get(state.requestId);
      if (read === undefined) continue;
      this.#pendingReads.delete(state.requestId);
      if (read.waitForApply)
        this.#applyWaiters.add(state.index, this.#appliedThrough, read.resolve);
      else read.resolve({ ok: true, index: state.index });
    }
    for (const id of ready.failedReads) {
      const read = this.#pendingReads.get(id);
      if (read === undefined) continue;
      this.#pendingReads.delete(id);
      read.resolve({ ok: false, reason: "stepped-down" });
    }
    for (const t of ready.transfers) {
      const still: PendingNodeTransfer[] = [];
      for (const p of this.#pendingTransfers) {
        if (p.to !== t.to || p.fromTerm !== t.fromTerm) {
          still.push(p);
        } else if (t.outcome === "completed") {
          p.resolve({ ok: true, term: t.term });
        } else {
          p.resolve({ ok: false, reason: t.outcome });
        }
      }
      this.#pendingTransfers = still;
    }
    if (this.#pendingChanges.length > 0) this.#settleChanges(ready);
  }

  /** Membership changes resolve when their entry commits, reject when it was replaced. */
  #settleChanges(ready: Ready): void {
    const commit = this.#core.commitIndex;
    const still: PendingChange[] = [];
    for (const c of this.#pendingChanges) {
      const committed = ready.committed.find((e) => e.index === c.index);
      const held = this.#core.entryAt(c.index);
      if (committed !== undefined && committed.term === c.term) {
        c.resolve({ index: c.index, term: c.term, config: c.config });
      } else if (
        (committed !== undefined && committed.term !== c.term) ||
        (held !== undefined && held.term !== c.term) ||
        (held === undefined && c.index > this.#core.lastIndex)
      ) {
        c.reject(
          new MembershipChangeError(
            "stepped-down",
            `the config entry at index ${c.index} was replaced by another leader's entry`,
          ),
        );
      } else if (commit >= c.index && held === undefined) {
        // Committed and compacted between two Readies without passing through this one.
        c.resolve({ index: c.index, term: c.term, config: c.config });
      } else {
        still.push(c);
      }
    }
    this.#pendingChanges = still;
  }

  #electionMaxTicks(): number {
    return this.#electionMax;
  }

  async #applyLoop(): Promise<void> {
    this.#applying = true;
    try {
      while (this.#applyHead < this.#applyQueue.length && !this.#killed) {
        const message = this.#applyQueue[this.#applyHead++] as ApplyMsg;
        if (this.#applyHead === this.#applyQueue.length) {
          this.#applyQueue = [];
          this.#applyHead = 0;
        }
        const pending = this.#apply(message);
        if (pending !== undefined) await pending;
        this.#appliedThrough = applyMsgIndex(message);
        this.#applyWaiters.appliedThrough(this.#appliedThrough);
      }
    } finally {
      this.#applying = false;
    }
  }

  #fatal(error: unknown): void {
    if (this.#killed) return;
    this.kill();
    this.#onFatal(error);
  }
}

function killedError(): MembershipChangeError {
  return new MembershipChangeError("killed", "the node was killed");
}

function storageUpdate(ready: Ready): StorageUpdate | undefined {
  if (
    ready.hardState === undefined &&
    ready.snapshot === undefined &&
    ready.entries === undefined
  ) {
    return undefined;
  }
  return {
    ...(ready.hardState !== undefined ? { hardState: ready.hardState } : {}),
    ...(ready.snapshot !== undefined ? { snapshot: ready.snapshot } : {}),
    ...(ready.entries !== undefined ? { entries: ready.entries } : {}),
  };
}

type WireReplyOf<K extends ReplyMessage["type"]> = K extends "RequestVoteReply"
  ? { term: number; voteGranted: boolean; preVote: boolean }
  : K extends "AppendEntriesReply"
    ? {
        term: number;
        success: boolean;
        prevLogIndex: number;
        matchIndex: number;
        conflictTerm: number;
        conflictIndex: number;
        lastLogIndex: number;
        readContext: number;
      }
    : { term: number; matchIndex: number };

/** The wire reply for `reply`; a node that has nothing to say answers with a stale term 0. */
function wireReply<K extends ReplyMessage["type"]>(
  reply: ReplyMessage | undefined,
  kind: K,
): WireReplyOf<K> {
  if (reply === undefined || reply.type !== kind) {
    const empty = {
      RequestVoteReply: { term: 0, voteGranted: false, preVote: false },
      AppendEntriesReply: {
        term: 0,
        success: false,
        prevLogIndex: 0,
        matchIndex: 0,
        conflictTerm: 0,
        conflictIndex: 0,
        lastLogIndex: 0,
        readContext: 0,
      },
      InstallSnapshotReply: { term: 0, matchIndex: 0 },
    };
    return empty[kind] as WireReplyOf<K>;
  }
  const { type: _type, from: _from, to: _to, ...wire } = reply;
  return wire as unknown as WireReplyOf<K>;
}
