import type { Random } from "@lab/labrpc";
import { ConfigHistory, type ConfigRecord } from "./config-history.js";
import {
  allVoters,
  type Configuration,
  configurationProblem,
  decodeConfiguration,
  encodeConfiguration,
  formatConfiguration,
  isMember,
  isVoter,
  members,
} from "./configuration.js";
import { invariant, RaftUsageError } from "./errors.js";
import {
  LeadershipTransfer,
  type TransferOutcome,
  type TransferResult,
} from "./leader-transfer.js";
import {
  leaderMayChange,
  learnerCaughtUp,
  type MembershipChange,
  MembershipChangeError,
  planChange,
} from "./membership.js";
import type {
  AppendEntries,
  AppendEntriesReply,
  InstallSnapshot,
  InstallSnapshotReply,
  Message,
  ReplyMessage,
  RequestVote,
  RequestVoteReply,
  TimeoutNow,
} from "./messages.js";
import { Progress } from "./progress.js";
import { quorum, quorumIndex } from "./quorum.js";
import { RaftLog } from "./raft-log.js";
import {
  type ReadIndexStatus,
  type ReadMode,
  ReadOnly,
  type ReadRequestId,
  type ReadState,
} from "./read-only.js";
import type { Ready } from "./ready.js";
import {
  EMPTY_HARD_STATE,
  type Entry,
  type HardState,
  NO_SNAPSHOT_META,
  type PeerId,
  type Role,
  type Snapshot,
} from "./types.js";

/** Settings of the core. Time is counted in ticks; the driver decides how long a tick is. */
export interface RaftCoreConfig {
  /** This peer's id (its index in the cluster's peer list when started with `peerCount`). */
  readonly id: PeerId;
  /**
   * Number of peers, this one included: the cluster starts with peers `0..peerCount-1`, all
   * voters. Needed unless `initialConfiguration` is given.
   */
  readonly peerCount?: number;
  /**
   * The configuration the cluster starts with, before any config entry or snapshot says
   * otherwise (default: every peer of `0..peerCount-1` a voter). A peer that joins a running
   * cluster starts with {@link EMPTY_CONFIGURATION}: it knows no voter, so it never
   * campaigns, and learns the cluster's configuration from the leader. Every peer of a
   * cluster must be given the same one, at every restart.
   */
  readonly initialConfiguration?: Configuration;
  /**
   * A learner may be promoted to voter once its log is within this many entries of the
   * leader's last index ({@link RaftCore.proposeConfigChange}). Default 100.
   */
  readonly learnerCatchUpEntries?: number;
  /** Draws randomized election timeouts. */
  readonly random: Random;
  /** Election timeout, drawn uniformly in `[min, max)` ticks at each reset. Default 50-100. */
  readonly electionTicks?: { readonly min: number; readonly max: number };
  /** Heartbeat interval of a leader, in ticks. Default 10. */
  readonly heartbeatTicks?: number;
  /** At most this many entries per AppendEntries. Default 1024. */
  readonly maxEntriesPerMessage?: number;
  /** About this many command bytes per AppendEntries (at least one entry). Default 1 MiB. */
  readonly maxBytesPerMessage?: number;
  /** AppendEntries in flight per follower while streaming. Default 32. */
  readonly maxInflight?: number;
  /**
   * Pre-vote (§9.6 of Ongaro's thesis, as etcd-io/raft): on an election timeout, first ask the
   * peers whether they would vote (a RequestVote with `preVote`, for term + 1), and start the
   * real election, raising the term, only with a quorum of yeses. A peer that cannot win, such
   * as one cut off from the majority, then never raises its term, and does not depose a healthy
   * leader when it comes back. Default `true`.
   */
  readonly preVote?: boolean;
  /**
   * Check-quorum (as etcd-io/raft): a leader that has not heard from a quorum (itself included)
   * during the last minimum election timeout steps down, and a peer that heard from a leader
   * within the minimum election timeout (a leader itself, too) rejects (pre-)votes of a higher
   * term without adopting that term: the leader's lease. Default `true`.
   */
  readonly checkQuorum?: boolean;
  /**
   * How the leader confirms its leadership for {@link RaftCore.readIndex}: `"safe"` (default)
   * with a round of heartbeats per batch of reads; `"lease"` without one while it heard from a
   * quorum within its lease (`electionTicks.min - 1 - leaseDriftTicks` ticks). Lease mode
   * needs `checkQuorum` and assumes the peers' ticks run at about the same rate (see the
   * README's "Linearizable reads").
   */
  readonly readMode?: ReadMode;
  /**
   * Lease mode: ticks taken off the lease for clock drift between peers. Default
   * `ceil(electionTicks.min / 10)`, a 10% margin.
   */
  readonly leaseDriftTicks?: number;
  /**
   * Asynchronous storage writes (as etcd-io/raft's `AsyncStorageWrites`): the driver may send
   * a Ready's messages and call {@link RaftCore.advance} while its update is still being
   * persisted, and reports each update once durable with {@link RaftCore.persisted}, in
   * order. A leader then replicates while it syncs its own log, and counts itself towards a
   * quorum only for entries it has persisted; entries are handed out for application only once
   * committed and durable here. Messages of a Ready that raised the term, cast a vote or
   * persists a snapshot still wait (`Ready.mustPersistBeforeSend`). Default `false`: the driver
   * persists each Ready before sending anything, and `advance` means persisted.
   */
  readonly asyncStorageWrites?: boolean;
  /** Receives trace events (kind and details); the driver adds time, node, term and role. */
  readonly trace?: (kind: string, details?: Readonly<Record<string, unknown>>) => void;
}

/** What a peer restarts from: everything its storage kept. */
export interface RestoredState {
  readonly hardState: HardState;
  readonly snapshot?: Snapshot | undefined;
  /** Entries after the snapshot, in order. */
  readonly entries: readonly Entry[];
}

/** What {@link RaftCore.proposeConfigChange} did: the config entry appended, or why not. */
export type ConfigChangeResult =
  | {
      readonly ok: true;
      readonly index: number;
      readonly term: number;
      readonly config: Configuration;
    }
  | { readonly ok: false; readonly error: MembershipChangeError };

/** A peer's state at a glance, for tests, traces and status lines. */
export interface RaftStatus {
  readonly id: PeerId;
  /** The configuration in effect: the latest config entry in the log, committed or not. */
  readonly config: Configuration;
  /** Index of the config entry of `config` (the snapshot's index, or 0 for the initial one). */
  readonly configIndex: number;
  readonly term: number;
  readonly role: Role;
  /**
   * A follower in a pre-vote round: it timed out and is asking whether it could win term + 1.
   * Its role stays `follower` (it has not raised its term).
   */
  readonly preCandidate: boolean;
  readonly leaderId: PeerId | null;
  readonly votedFor: PeerId | null;
  readonly commit: number;
  readonly applied: number;
  readonly firstIndex: number;
  readonly lastIndex: number;
  readonly snapshotIndex: number;
  /** The peer this leader is handing leadership to, or `null`. */
  readonly transferee: PeerId | null;
}

/**
 * The Raft protocol as a pure, deterministic state machine (Figure 2 of the Raft paper, every
 * rule, with the course's fast log backup and whole-snapshot InstallSnapshot).
 *
 * It never performs I/O, sets no timers and never awaits: it takes ticks (`tick`), messages
 * (`step`) and proposals (`propose`), and hands back work as a {@link Ready}: state and entries
 * to persist, messages to send once they are persisted, committed entries and snapshots to
 * apply. A driver does that work and calls `advance`. Replies to requests are returned by
 * `step` itself, to be sent once the Ready that follows is persisted.
 */
export class RaftCore {
  readonly id: PeerId;
  readonly #initialConfig: Configuration;
  readonly #learnerMaxLag: number;
  readonly #random: Random;
  readonly #electionMin: number;
  readonly #electionMax: number;
  readonly #heartbeatTicks: number;
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #maxInflight: number;
  readonly #preVote: boolean;
  readonly #checkQuorum: boolean;
  readonly #asyncWrites: boolean;
  readonly #trace: (kind: string, details?: Readonly<Record<string, unknown>>) => void;

  #term: number;
  #votedFor: PeerId | null;
  #commit: number;
  #role: Role = "follower";
  /** A follower collecting pre-votes for term + 1 (`#votes` holds them). */
  #preCandidate = false;
  #leaderId: PeerId | null = null;
  readonly #log: RaftLog;
  /** The latest snapshot, kept to send to followers that need it. */
  #snapshot: Snapshot | undefined;

  /**
   * Ticks since this peer last heard from the leader or granted a vote (a follower or
   * candidate), or since the last check-quorum (a leader).
   */
  #electionElapsed = 0;
  #heartbeatElapsed = 0;
  #electionTimeout = 0;
  #votes = new Set<PeerId>();
  /**
   * A leader's view of every member's log, itself included (members of the current config,
   * and peers whose removal is not committed yet).
   */
  #progress = new Map<PeerId, Progress>();
  /** The configurations of the log; the latest is in effect. */
  readonly #config: ConfigHistory;

  // Work for the next Ready.
  #messages: Message[] = [];
  #lastReadyHardState: HardState;
  #snapshotToPersist: Snapshot | undefined;
  #snapshotToApply: Snapshot | undefined;
  /** Last index handed out for application (entries, or a snapshot). */
  #applied: number;
  /** New entries to send to followers at the next Ready (batches proposals). */
  #appendPending = false;
  /** The commit index moved: tell followers that have nothing else coming. */
  #commitNotifyPending = false;

  // Reads (ReadIndex, lease) and leadership transfer: read-only.ts, leader-transfer.ts.
  readonly #readMode: ReadMode;
  /** Lease mode: how long, in the leader's ticks, a quorum's acknowledgement keeps it leading. */
  readonly #leaseTicks: number;
  /** A restarted peer in lease mode honours the lease it may have granted before the crash. */
  readonly #bootLease: boolean;
  /** Ticks since this peer started (for the boot lease). */
  #bootTicks = 0;
  /** Ticks since this peer became leader: the lease's clock. */
  #leaderTicks = 0;
  /** A TimeoutNow went out in this term: a forced election may come at any time, no lease. */
  #leaseRevoked = false;
  #reads = new ReadOnly();
  #readStates: ReadState[] = [];
  #failedReads: ReadRequestId[] = [];
  #transfer: LeadershipTransfer | undefined;
  #transferResults: TransferResult[] = [];

  constructor(config: RaftCoreConfig, restored?: RestoredState) {
    if (config.initialConfiguration === undefined) {
      const n = config.peerCount ?? 0;
      invariant(n >= 1, () => `a cluster needs a peer, got ${String(config.peerCount)}`);
      invariant(
        Number.isInteger(config.id) && config.id >= 0 && config.id < n,
        () => `peer id ${config.id} outside 0..${n - 1}`,
      );
      this.#initialConfig = allVoters(n);
    } else {
      const problem = configurationProblem(config.initialConfiguration);
      if (problem !== undefined) throw new RaftUsageError(`initialConfiguration: ${problem}`);
      if (!Number.isSafeInteger(config.id) || config.id < 0) {
        throw new RaftUsageError(`peer id must be a non-negative integer, got ${config.id}`);
      }
      this.#initialConfig = config.initialConfiguration;
    }
    this.id = config.id;
    this.#learnerMaxLag = config.learnerCatchUpEntries ?? 100;
    if (!Number.isSafeInteger(this.#learnerMaxLag) || this.#learnerMaxLag < 0) {
      throw new RaftUsageError(
        `learnerCatchUpEntries must be a non-negative integer, got ${this.#learnerMaxLag}`,
      );
    }
    this.#random = config.random;
    this.#electionMin = config.electionTicks?.min ?? 50;
    this.#electionMax = config.electionTicks?.max ?? 100;
    invariant(
      this.#electionMin >= 1 && this.#electionMax > this.#electionMin,
      () =>
        `election ticks must satisfy 1 <= min < max, got ${this.#electionMin}, ${this.#electionMax}`,
    );
    this.#heartbeatTicks = config.heartbeatTicks ?? 10;
    invariant(
      this.#heartbeatTicks >= 1 && this.#heartbeatTicks < this.#electionMin,
      () => `heartbeat ticks (${this.#heartbeatTicks}) must be >= 1 and below the election timeout`,
    );
    this.#maxEntries = config.maxEntriesPerMessage ?? 1024;
    this.#maxBytes = config.maxBytesPerMessage ?? 1024 * 1024;
    this.#maxInflight = config.maxInflight ?? 32;
    this.#preVote = config.preVote ?? true;
    this.#checkQuorum = config.checkQuorum ?? true;
    this.#trace = config.trace ?? (() => {});
    this.#asyncWrites = config.asyncStorageWrites ?? false;
    this.#readMode = config.readMode ?? "safe";
    if (this.#readMode !== "safe" && this.#readMode !== "lease") {
      throw new RaftUsageError(`readMode must be "safe" or "lease", got ${String(this.#readMode)}`);
    }
    if (this.#readMode === "lease" && !this.#checkQuorum) {
      throw new RaftUsageError(
        'readMode "lease" needs checkQuorum: without it no follower honours the leader\'s lease',
      );
    }
    const drift = config.leaseDriftTicks ?? Math.ceil(this.#electionMin / 10);
    // One tick for the quantization of ticks (a follower's first tick may come at once).
    this.#leaseTicks = this.#electionMin - 1 - drift;
    if (
      this.#readMode === "lease" &&
      (!Number.isInteger(drift) || drift < 0 || this.#leaseTicks < 1)
    ) {
      throw new RaftUsageError(
        `leaseDriftTicks must be an integer in 0..${this.#electionMin - 2} (electionTicks.min - 2), got ${drift}`,
      );
    }

    const hs = restored?.hardState ?? EMPTY_HARD_STATE;
    this.#snapshot = restored?.snapshot;
    const snapshotMeta = restored?.snapshot?.meta ?? NO_SNAPSHOT_META;
    this.#log = new RaftLog(snapshotMeta, restored?.entries ?? []);
    this.#config = new ConfigHistory({
      index: snapshotMeta.index,
      term: snapshotMeta.term,
      config: snapshotMeta.config ?? this.#initialConfig,
    });
    for (const e of restored?.entries ?? []) {
      if (e.kind === "config") this.#config.append(configRecord(e));
    }
    this.#term = hs.term;
    this.#votedFor = hs.votedFor;
    // The commit index is at least the snapshot's; never beyond the log.
    this.#commit = Math.min(Math.max(hs.commit, this.#log.snapshot.index), this.#log.lastIndex);
    this.#lastReadyHardState = { term: hs.term, votedFor: hs.votedFor, commit: this.#commit };
    // The service restarts from the snapshot (the driver hands it over); entries after it are
    // applied again from the start, so applied = snapshot index.
    this.#applied = this.#log.snapshot.index;
    this.#bootLease = this.#readMode === "lease" && hs.term > 0;
    if (this.#snapshot !== undefined && this.#snapshot.meta.index > 0) {
      this.#snapshotToApply = this.#snapshot;
    }
    this.#resetElectionTimeout();
  }

  // ---------------------------------------------------------------------------------------
  // Inputs

  /**
   * Advances logical time by one tick: elections for followers and candidates; heartbeats and
   * check-quorum for leaders.
   */
  tick(): void {
    this.#tickReadsAndTransfer();
    if (this.#role === "leader") {
      if (this.#checkQuorum && ++this.#electionElapsed >= this.#electionMin) {
        this.#electionElapsed = 0;
        if (!this.#checkQuorumActive()) return;
      }
      if (++this.#heartbeatElapsed >= this.#heartbeatTicks) {
        this.#heartbeatElapsed = 0;
        this.#heartbeat();
      }
      return;
    }
    // Learners, removed peers and peers that have not joined yet never campaign.
    if (++this.#electionElapsed >= this.#electionTimeout && this.#isVoter(this.id)) {
      if (this.#preVote) this.#preCampaign();
      else this.#campaign();
    }
  }

  /**
   * Processes a message from a peer. For a request it returns the reply, which the driver must
   * send only after persisting the Ready that follows (Figure 2: persist before responding).
   */
  step(message: Message): ReplyMessage | undefined {
    invariant(message.to === this.id, () => `message for ${message.to} delivered to ${this.id}`);
    // Any peer id may write: the configuration changes, and a joining peer knows no one yet.
    if (!Number.isSafeInteger(message.from) || message.from < 0 || message.from === this.id) {
      this.#trace("drop", { reason: "unknown sender", from: message.from });
      return undefined;
    }
    if (message.term > this.#term) {
      if (message.type === "RequestVote" && !message.leadershipTransfer && this.#inLease()) {
        // Check-quorum: we heard from a leader within the minimum election timeout, so the
        // cluster is healthy and this candidate (maybe a rejoining, partitioned peer) must not
        // depose it. Reject, and keep our term.
        this.#trace("vote", {
          candidate: message.from,
          granted: false,
          candidateTerm: message.term,
          preVote: message.preVote,
          reason: "lease",
        });
        return this.#voteReply(message, false);
      }
      // A pre-vote request, or a pre-vote granted for the term we would campaign in, carries
      // a term nobody has entered yet: it must not move ours.
      const preVote =
        (message.type === "RequestVote" && message.preVote) ||
        (message.type === "RequestVoteReply" && message.preVote && message.voteGranted);
      if (!preVote) {
        const leader =
          message.type === "AppendEntries" || message.type === "InstallSnapshot"
            ? message.from
            : null;
        this.#becomeFollower(message.term, leader);
      }
    }
    switch (message.type) {
      case "RequestVote":
        return this.#onRequestVote(message);
      case "AppendEntries":
        return this.#onAppendEntries(message);
      case "InstallSnapshot":
        return this.#onInstallSnapshot(message);
      case "RequestVoteReply":
        this.#onRequestVoteReply(message);
        return undefined;
      case "AppendEntriesReply":
        this.#onAppendEntriesReply(message);
        return undefined;
      case "InstallSnapshotReply":
        this.#onInstallSnapshotReply(message);
        return undefined;
      case "TimeoutNow":
        this.#onTimeoutNow(message);
        return undefined;
    }
  }

  /**
   * Appends a command to the log if this peer is the leader; returns its index and term, or
   * `undefined` when this peer is not the leader or is handing leadership over
   * ({@link transferLeadership}). Does not wait for anything.
   */
  propose(command: Uint8Array): { index: number; term: number } | undefined {
    if (this.#role !== "leader" || this.#transfer?.leading === true) return undefined;
    const entry: Entry = { term: this.#term, index: this.#log.lastIndex + 1, command };
    this.#log.append(entry);
    this.#acknowledgeOwn(entry.index);
    this.#appendPending = true;
    if (!this.#asyncWrites && this.#voters().length === 1) this.#maybeCommit();
    return { index: entry.index, term: entry.term };
  }

  /**
   * Proposes a single-server membership change (Raft thesis §4.1): on the leader, appends a
   * config entry with the new configuration, which every peer uses as soon as it appends it.
   * The change is done once that entry commits (it comes back in `Ready.committed`, with kind
   * `config`). Refused, changing nothing, when this peer is not the leader, another change is
   * not committed yet, this leader has not committed an entry of its term yet (then it appends
   * a config entry repeating the current configuration, so that one commits: retry once it
   * has), leadership is being transferred, the change does not apply to the configuration, or
   * a learner to promote is more than `learnerCatchUpEntries` behind.
   *
   * A leader that removes (or demotes) itself keeps leading until the change commits, without
   * counting itself towards quorums, then steps down and hands over to an up-to-date voter.
   */
  proposeConfigChange(change: MembershipChange): ConfigChangeResult {
    const refuse = (error: MembershipChangeError): ConfigChangeResult => {
      this.#trace("config.refuse", { change: change.type, peer: change.id, reason: error.reason });
      return { ok: false, error };
    };
    if (this.#role !== "leader") {
      return refuse(new MembershipChangeError("not-leader", `peer ${this.id} is not the leader`));
    }
    const planned = planChange(this.#config.current, change);
    if (planned instanceof MembershipChangeError) return refuse(planned);
    const gate = leaderMayChange({
      configIndex: this.#config.latest.index,
      commit: this.#commit,
      committedInTerm: this.#log.term(this.#commit) === this.#term,
      transferring: this.#transfer?.leading === true,
    });
    if (gate !== undefined) {
      // Without an entry of its term nothing would ever commit: append one, the current
      // configuration again (no service command, and no change of quorums).
      if (gate.reason === "term-not-committed" && this.#log.lastTerm !== this.#term) {
        this.#appendConfig(this.#config.current);
      }
      return refuse(gate);
    }
    if (change.type === "promote") {
      const match = this.#progress.get(change.id)?.match ?? 0;
      if (!learnerCaughtUp(match, this.#log.lastIndex, this.#learnerMaxLag)) {
        return refuse(
          new MembershipChangeError(
            "learner-behind",
            `learner ${change.id} has the log to ${match}, the leader to ${this.#log.lastIndex}: more than ${this.#learnerMaxLag} entries behind`,
          ),
        );
      }
    }
    const entry = this.#appendConfig(planned);
    return { ok: true, index: entry.index, term: entry.term, config: planned };
  }

  /**
   * The service has a snapshot of its state up to `index` (which it applied): the log up to it
   * is discarded. An index at or below the current snapshot is ignored, as in the course.
   */
  compact(index: number, data: Uint8Array): void {
    if (index <= this.#log.snapshot.index) return;
    if (index > this.#applied) {
      throw new RaftUsageError(
        `snapshot at index ${index} is beyond the last index handed to the service (${this.#applied})`,
      );
    }
    const term = this.#log.term(index);
    invariant(term !== undefined, () => `no term for applied index ${index}`);
    const snapshot: Snapshot = {
      meta: { index, term, config: this.#config.configAt(index) },
      data,
    };
    this.#log.installSnapshot(snapshot.meta);
    this.#config.compact(index, term);
    this.#snapshot = snapshot;
    this.#snapshotToPersist = snapshot;
    this.#trace("snapshot.compact", { index, term, bytes: data.length });
  }

  /**
   * Asks for a linearizable read without appending to the log (ReadIndex, Raft thesis §6.4, as
   * etcd-io/raft's ReadOnlySafe). On the leader, the read's index is the commit index; the read
   * is confirmed once a quorum acknowledged a round of heartbeats sent after it arrived (reads
   * that arrive between two Readies share one round; in a cluster of one, at once), and comes
   * back as a {@link ReadState} in a later Ready. The service may then serve it as soon as it
   * has applied the log through that index.
   *
   * The leader must know the cluster's commit index first: it does once it has committed an
   * entry of its own term, or when its whole log is known committed. No entry is appended on
   * election (the course forbids a no-op), so a leader elected with uncommitted entries of
   * earlier terms holds its reads until a proposal of its own term commits: a service that
   * reads without writing may propose a no-op of its own.
   *
   * In lease mode (`readMode: "lease"`) a leader within its lease answers at once at its commit
   * index, without a round. If this peer stops leading before a read is confirmed, the read
   * comes back in `Ready.failedReads`.
   *
   * @param requestId the caller's id for the read, echoed in its ReadState
   * @returns how the read proceeds, or `"not-leader"` (refused) when this peer does not lead
   * @throws RaftUsageError when `requestId` is not a non-negative safe integer
   */
  readIndex(requestId: ReadRequestId): ReadIndexStatus {
    if (!Number.isSafeInteger(requestId) || requestId < 0) {
      throw new RaftUsageError(
        `a read's request id must be a non-negative safe integer, got ${String(requestId)}`,
      );
    }
    if (this.#role !== "leader") return "not-leader";
    const known = this.#knowsClusterCommit();
    if (this.#readMode === "lease" && known && this.#leaseHolds()) {
      this.#readStates.push({ requestId, index: this.#commit });
      return "lease";
    }
    this.#reads.add(requestId, known ? this.#commit : undefined);
    // A cluster of one is its own quorum.
    this.#releaseReads();
    return known ? "round" : "awaiting-commit";
  }

  /**
   * Hands leadership to peer `to` (Raft thesis §3.10, as etcd-io/raft): this leader stops
   * taking proposals, brings `to` up to date, then sends it TimeoutNow; `to` starts an election
   * at once, without a pre-vote, and voters grant it even within check-quorum's lease. If the
   * handover has not happened within the minimum election timeout, the transfer is aborted and
   * proposals resume. The end of the transfer comes as a {@link TransferResult} in a later
   * Ready. A new transfer to another peer replaces one in progress; to the same peer it is a
   * no-op.
   *
   * @returns `false` when this peer is not the leader (nothing started)
   * @throws RaftUsageError when `to` is not a peer of the cluster, or is this peer
   */
  transferLeadership(to: PeerId): boolean {
    if (!Number.isInteger(to) || !this.#isVoter(to)) {
      throw new RaftUsageError(
        `cannot transfer leadership to ${String(to)}: voters are ${formatIds(this.#voters())}`,
      );
    }
    if (to === this.id) throw new RaftUsageError(`peer ${to} cannot transfer leadership to itself`);
    if (this.#role !== "leader") return false;
    const current = this.#transfer;
    if (current !== undefined) {
      if (current.to === to) return true;
      this.#endTransfer("aborted", "superseded");
    }
    this.#transfer = new LeadershipTransfer(to, this.#term);
    const pr = this.#peerProgress(to);
    this.#trace("transfer.start", { to, match: pr.match, lastIndex: this.#log.lastIndex });
    // Bring it up to date first (proposals have stopped, so it catches up).
    if (!this.#maybeSendTimeoutNow()) this.#sendAppend(to, true);
    return true;
  }

  // ---------------------------------------------------------------------------------------
  // Output

  /** True when there is work for the driver. */
  hasReady(): boolean {
    this.#settleTransfer();
    return (
      this.#readStates.length > 0 ||
      this.#failedReads.length > 0 ||
      this.#transferResults.length > 0 ||
      this.#messages.length > 0 ||
      this.#appendPending ||
      this.#commitNotifyPending ||
      this.#snapshotToPersist !== undefined ||
      this.#snapshotToApply !== undefined ||
      this.#applied < this.#applyLimit() ||
      this.#log.unstable() !== undefined ||
      this.#reads.roundWanted ||
      !sameHardState(this.#hardState(), this.#lastReadyHardState)
    );
  }

  /**
   * Takes the pending work. Persist `hardState`, `snapshot` and `entries` (in that order, or
   * atomically), then send `messages`, then apply `snapshotToApply` and `committed`, then call
   * {@link advance}. Further steps may happen while the driver works; they go to the next Ready.
   */
  ready(): Ready {
    this.#settleTransfer();
    if (this.#role === "leader") {
      if (this.#reads.roundWanted) this.#broadcastReadRound();
      if (this.#appendPending) this.#broadcastAppend();
      if (this.#commitNotifyPending) this.#notifyCommit();
    }
    this.#appendPending = false;
    this.#commitNotifyPending = false;

    const hardState = this.#hardState();
    const previous = this.#lastReadyHardState;
    const hardStateChanged = !sameHardState(hardState, previous);
    this.#lastReadyHardState = hardState;
    // A message may rest on a raised term or a vote (a RequestVote, or anything sent in the
    // term it raised to) or on an installed snapshot: those go out only once persisted.
    const mustPersistBeforeSend =
      !this.#asyncWrites ||
      this.#snapshotToPersist !== undefined ||
      hardState.term !== previous.term ||
      hardState.votedFor !== previous.votedFor;
    const snapshotToApply = this.#snapshotToApply;
    if (snapshotToApply !== undefined)
      this.#applied = Math.max(this.#applied, snapshotToApply.meta.index);
    const limit = this.#applyLimit();
    const from = Math.max(this.#applied + 1, this.#log.firstIndex);
    const committed = from <= limit ? this.#log.slice(from, limit) : [];
    this.#applied = Math.max(this.#applied, limit);
    const ready: Ready = {
      ...(hardStateChanged ? { hardState } : {}),
      ...(this.#snapshotToPersist !== undefined ? { snapshot: this.#snapshotToPersist } : {}),
      ...(snapshotToApply !== undefined ? { snapshotToApply } : {}),
      entries: this.#log.unstable(),
      messages: this.#messages,
      mustPersistBeforeSend,
      committed,
      readStates: this.#readStates.length > 0 ? this.#readStates : NONE,
      failedReads: this.#failedReads.length > 0 ? this.#failedReads : NONE,
      transfers: this.#transferResults.length > 0 ? this.#transferResults : NONE,
    };
    if (this.#readStates.length > 0) this.#readStates = [];
    if (this.#failedReads.length > 0) this.#failedReads = [];
    if (this.#transferResults.length > 0) this.#transferResults = [];
    this.#messages = [];
    this.#snapshotToPersist = undefined;
    this.#snapshotToApply = undefined;
    return ready;
  }

  /**
   * The driver handed `ready`'s update to the storage and performed the rest of it. Without
   * `asyncStorageWrites` this also means the update is durable.
   */
  advance(ready: Ready): void {
    if (ready.entries !== undefined) this.#log.stableTo(ready.entries);
    if (!this.#asyncWrites) this.#log.markDurable(ready);
  }

  /**
   * With `asyncStorageWrites`: `ready`'s update (hard state, snapshot, entries) is durable.
   * Call once per Ready that had one, in the order of the Readies, before or after its
   * `advance`. A leader then counts its own log towards the quorum up to where it is durable,
   * which may commit entries; applying may go on up to there too.
   */
  persisted(ready: Ready): void {
    if (!this.#asyncWrites) return; // `advance` said so already
    this.#log.markDurable(ready);
    if (this.#role === "leader" && this.#selfProgress().acknowledge(this.#log.durableThrough)) {
      this.#maybeCommit();
    }
  }

  // ---------------------------------------------------------------------------------------
  // Introspection

  get term(): number {
    return this.#term;
  }

  get role(): Role {
    return this.#role;
  }

  /** True for a follower in a pre-vote round (see {@link RaftStatus.preCandidate}). */
  get preCandidate(): boolean {
    return this.#preCandidate;
  }

  get leaderId(): PeerId | null {
    return this.#leaderId;
  }

  get commitIndex(): number {
    return this.#commit;
  }

  get lastIndex(): number {
    return this.#log.lastIndex;
  }

  status(): RaftStatus {
    return {
      id: this.id,
      config: this.#config.current,
      configIndex: this.#config.latest.index,
      term: this.#term,
      role: this.#role,
      preCandidate: this.#preCandidate,
      leaderId: this.#leaderId,
      votedFor: this.#votedFor,
      commit: this.#commit,
      applied: this.#applied,
      firstIndex: this.#log.firstIndex,
      lastIndex: this.#log.lastIndex,
      snapshotIndex: this.#log.snapshot.index,
      transferee: this.#transfer?.leading === true ? this.#transfer.to : null,
    };
  }

  /** The configuration in effect (the latest config entry in the log, committed or not). */
  get configuration(): Configuration {
    return this.#config.current;
  }

  /** The entry at `index` if the log still holds it (for tests and tools). */
  entryAt(index: number): Entry | undefined {
    return this.#log.entry(index);
  }

  // ---------------------------------------------------------------------------------------
  // Roles

  #becomeFollower(term: number, leaderId: PeerId | null): void {
    if (this.#role === "leader") this.#stepDownReadsAndTransfer();
    const changed = this.#role !== "follower" || term !== this.#term || this.#preCandidate;
    if (term > this.#term) {
      this.#term = term;
      this.#votedFor = null;
    }
    this.#role = "follower";
    this.#preCandidate = false;
    this.#leaderId = leaderId;
    // The election timer is deliberately left running: only hearing from the leader or
    // granting a (real) vote resets it (the callers do that). Resetting it on every higher
    // term lets candidates whose logs are too stale to win keep the up-to-date peers from ever
    // timing out first, and the cluster can go without a leader for many seconds. The same
    // timer measures check-quorum's lease: a follower is in the lease only while it knows a
    // leader of its term (`leaderId`, which a higher term clears) and heard from it less than
    // the minimum election timeout ago.
    if (changed) this.#trace("role.follower", { leader: leaderId });
  }

  /**
   * Pre-vote: asks every peer whether it would vote for us in term + 1, changing nothing that
   * is persisted. A quorum of yeses starts the real election ({@link #campaign}).
   */
  #preCampaign(): void {
    this.#role = "follower";
    this.#preCandidate = true;
    this.#leaderId = null;
    this.#votes = new Set([this.id]);
    this.#electionElapsed = 0;
    this.#resetElectionTimeout();
    this.#trace("role.precandidate", {
      campaignTerm: this.#term + 1,
      lastIndex: this.#log.lastIndex,
      lastTerm: this.#log.lastTerm,
    });
    if (this.#hasQuorum(this.#votes)) {
      this.#campaign();
      return;
    }
    this.#requestVotes(this.#term + 1, true);
  }

  #campaign(leadershipTransfer = false): void {
    // Only a voter may lead (a pre-vote round may have outlived this peer's vote).
    if (!this.#isVoter(this.id)) return;
    this.#role = "candidate";
    this.#preCandidate = false;
    this.#term += 1;
    this.#votedFor = this.id;
    this.#leaderId = null;
    this.#votes = new Set([this.id]);
    this.#electionElapsed = 0;
    this.#resetElectionTimeout();
    this.#trace("role.candidate", { lastIndex: this.#log.lastIndex, lastTerm: this.#log.lastTerm });
    if (this.#hasQuorum(this.#votes)) {
      this.#becomeLeader();
      return;
    }
    this.#requestVotes(this.#term, false, leadershipTransfer);
  }

  #requestVotes(term: number, preVote: boolean, leadershipTransfer = false): void {
    for (const to of this.#voters()) {
      if (to === this.id) continue;
      this.#send<RequestVote>({
        type: "RequestVote",
        from: this.id,
        to,
        term,
        lastLogIndex: this.#log.lastIndex,
        lastLogTerm: this.#log.lastTerm,
        preVote,
        leadershipTransfer,
      });
    }
  }

  #becomeLeader(): void {
    invariant(this.#role === "candidate", () => `becoming leader from ${this.#role}`);
    this.#role = "leader";
    this.#leaderId = this.id;
    this.#heartbeatElapsed = 0;
    // From now on it counts ticks to the next check-quorum.
    this.#electionElapsed = 0;
    this.#progress = new Map([[this.id, new Progress(this.#log.lastIndex + 1)]]);
    this.#syncProgress(false);
    this.#selfProgress().acknowledge(this.#ownDurableIndex());
    this.#startLeadingReadsAndTransfer();
    this.#trace("role.leader", { lastIndex: this.#log.lastIndex, votes: [...this.#votes] });
    // Assert leadership at once: an empty AppendEntries to everyone.
    this.#heartbeat();
  }

  /**
   * Check-quorum, every minimum election timeout: true when a quorum (this leader included)
   * answered since the last check; otherwise the leader steps down, in its term.
   */
  #checkQuorumActive(): boolean {
    // Only voters count (a leader being removed does not count itself).
    const active = new Set<PeerId>([this.id]);
    for (const [peer, pr] of this.#progress) {
      if (peer === this.id) continue;
      if (pr.recentlyActive) active.add(peer);
      pr.recentlyActive = false;
    }
    if (this.#hasQuorum(active)) return true;
    this.#trace("checkquorum.stepdown", { active: [...active] });
    this.#becomeFollower(this.#term, null);
    this.#electionElapsed = 0;
    this.#resetElectionTimeout();
    return false;
  }

  /**
   * Check-quorum's leader lease: this peer is the leader, or heard from the leader of its term
   * within the minimum election timeout. No leader can have been elected in a higher term
   * since (electing one takes a quorum, and this leader still had one), so votes for a higher
   * term are rejected without adopting it.
   */
  #inLease(): boolean {
    return (
      this.#checkQuorum &&
      ((this.#leaderId !== null && this.#electionElapsed < this.#electionMin) ||
        (this.#bootLease && this.#bootTicks < this.#electionMin))
    );
  }

  #resetElectionTimeout(): void {
    this.#electionTimeout =
      this.#electionMin + this.#random.int(this.#electionMax - this.#electionMin);
  }

  // ---------------------------------------------------------------------------------------
  // Elections

  #onRequestVote(m: RequestVote): RequestVoteReply {
    if (m.preVote) {
      // Would we vote for it in m.term? A later term than ours (a vote in our own term may be
      // taken) and the election restriction. Nothing changes here: not the term, not the vote,
      // not the election timer (resetting it would let a peer that cannot win hold elections
      // off). The lease was checked in step().
      const granted = m.term > this.#term && this.#upToDate(m);
      this.#trace("vote", { candidate: m.from, granted, candidateTerm: m.term, preVote: true });
      return this.#voteReply(m, granted);
    }
    let granted = false;
    if (m.term === this.#term) {
      const free = this.#votedFor === null || this.#votedFor === m.from;
      // Election restriction (§5.4.1): the candidate's log is at least as up to date.
      if (free && this.#upToDate(m) && this.#role === "follower") {
        granted = true;
        this.#votedFor = m.from;
        this.#electionElapsed = 0;
      }
    }
    this.#trace("vote", { candidate: m.from, granted, candidateTerm: m.term });
    return this.#voteReply(m, granted);
  }

  /** Election restriction (§5.4.1): the candidate's log is at least as up to date as ours. */
  #upToDate(m: RequestVote): boolean {
    return (
      m.lastLogTerm > this.#log.lastTerm ||
      (m.lastLogTerm === this.#log.lastTerm && m.lastLogIndex >= this.#log.lastIndex)
    );
  }

  /** A granted pre-vote carries the term it was asked for; every other reply carries ours. */
  #voteReply(m: RequestVote, granted: boolean): RequestVoteReply {
    return {
      type: "RequestVoteReply",
      from: this.id,
      to: m.from,
      term: granted && m.preVote ? m.term : this.#term,
      voteGranted: granted,
      preVote: m.preVote,
    };
  }

  #onRequestVoteReply(m: RequestVoteReply): void {
    if (m.preVote) {
      if (!this.#preCandidate || m.term !== this.#term + 1 || !m.voteGranted) return;
      this.#votes.add(m.from);
      if (this.#hasQuorum(this.#votes)) this.#campaign();
      return;
    }
    if (this.#role !== "candidate" || m.term !== this.#term || !m.voteGranted) return;
    this.#votes.add(m.from);
    if (this.#hasQuorum(this.#votes)) this.#becomeLeader();
  }

  // ---------------------------------------------------------------------------------------
  // Replication: follower side

  #onAppendEntries(m: AppendEntries): AppendEntriesReply {
    const reply = (success: boolean, matchIndex: number, conflictTerm = 0, conflictIndex = 0) => ({
      type: "AppendEntriesReply" as const,
      from: this.id,
      to: m.from,
      term: this.#term,
      success,
      prevLogIndex: m.prevLogIndex,
      matchIndex,
      conflictTerm,
      conflictIndex,
      lastLogIndex: this.#log.lastIndex,
      readContext: m.readContext,
    });
    if (m.term < this.#term) return reply(false, 0);
    invariant(
      this.#role !== "leader",
      () => `two leaders in term ${this.#term}: ${this.id} and ${m.from}`,
    );
    if (this.#role === "candidate" || this.#preCandidate) this.#becomeFollower(m.term, m.from);
    this.#leaderId = m.from;
    this.#electionElapsed = 0;

    let prevIndex = m.prevLogIndex;
    let prevTerm = m.prevLogTerm;
    let entries = m.entries;
    const snapshotIndex = this.#log.snapshot.index;
    if (prevIndex < snapshotIndex) {
      // Everything up to our snapshot is committed, hence in the leader's log: skip it.
      entries = entries.filter((e) => e.index > snapshotIndex);
      prevIndex = snapshotIndex;
      prevTerm = this.#log.snapshot.term;
    }
    if (!this.#log.matches(prevIndex, prevTerm)) {
      if (prevIndex > this.#log.lastIndex) return reply(false, 0, 0, this.#log.lastIndex + 1);
      const conflictTerm = this.#log.term(prevIndex) as number;
      return reply(false, 0, conflictTerm, this.#log.firstIndexOfTerm(conflictTerm, prevIndex));
    }
    this.#log.merge(entries, this.#commit);
    this.#syncConfigAfterMerge(entries);
    const lastNew = prevIndex + entries.length;
    // Commit no further than what this message proved we share with the leader.
    const commit = Math.min(m.leaderCommit, lastNew);
    if (commit > this.#commit) this.#setCommit(commit);
    return reply(true, lastNew);
  }

  #onInstallSnapshot(m: InstallSnapshot): InstallSnapshotReply {
    const reply = (matchIndex: number): InstallSnapshotReply => ({
      type: "InstallSnapshotReply",
      from: this.id,
      to: m.from,
      term: this.#term,
      matchIndex,
    });
    if (m.term < this.#term) return reply(0);
    invariant(
      this.#role !== "leader",
      () => `two leaders in term ${this.#term}: ${this.id} and ${m.from}`,
    );
    if (this.#role === "candidate" || this.#preCandidate) this.#becomeFollower(m.term, m.from);
    this.#leaderId = m.from;
    this.#electionElapsed = 0;
    const meta = m.snapshot.meta;
    // Committed entries agree with the leader's log: if we already have the snapshot's prefix
    // committed, the snapshot teaches nothing (and must not move the service backwards).
    if (meta.index <= this.#commit) return reply(this.#commit);
    this.#log.installSnapshot(meta);
    this.#config.installSnapshot(
      { index: meta.index, term: meta.term, config: meta.config ?? this.#initialConfig },
      (i) => this.#log.term(i),
    );
    this.#onConfigChanged();
    this.#snapshot = m.snapshot;
    this.#snapshotToPersist = m.snapshot;
    this.#snapshotToApply = m.snapshot;
    this.#commit = meta.index;
    this.#trace("snapshot.install", {
      index: meta.index,
      term: meta.term,
      bytes: m.snapshot.data.length,
    });
    return reply(meta.index);
  }

  // ---------------------------------------------------------------------------------------
  // Replication: leader side

  #onAppendEntriesReply(m: AppendEntriesReply): void {
    if (this.#role !== "leader" || m.term !== this.#term) return;
    const pr = this.#progress.get(m.from);
    if (pr === undefined) return; // no longer a member
    if (m.readContext > pr.readContext) this.#onReadAck(pr, m.readContext);
    if (m.success) {
      pr.acknowledge(m.matchIndex);
      if (pr.state === "probe") {
        if (pr.match >= m.matchIndex && m.matchIndex >= pr.next - 1) pr.becomeReplicate();
        else pr.paused = false;
      }
      this.#maybeCommit();
      this.#sendAppend(m.from, false);
      if (this.#transfer?.to === m.from && this.#transfer.leading) this.#maybeSendTimeoutNow();
      return;
    }
    pr.recentlyActive = true;
    pr.silentHeartbeats = 0;
    // A reject about an index we know matches, or not about our current probe, is stale.
    if (m.prevLogIndex <= pr.match) return;
    if (pr.state === "probe" && m.prevLogIndex !== pr.next - 1) return;
    let next: number;
    if (m.conflictTerm === 0) {
      next = m.conflictIndex;
    } else {
      const last = this.#log.lastIndexOfTerm(m.conflictTerm);
      next = last > 0 ? last + 1 : m.conflictIndex;
    }
    next = Math.min(next, m.lastLogIndex + 1, m.prevLogIndex);
    pr.becomeProbe();
    pr.next = Math.max(next, pr.match + 1);
    this.#trace("replicate.backup", { peer: m.from, next: pr.next, conflictTerm: m.conflictTerm });
    this.#sendAppend(m.from, true);
  }

  #onInstallSnapshotReply(m: InstallSnapshotReply): void {
    if (this.#role !== "leader" || m.term !== this.#term) return;
    const pr = this.#progress.get(m.from);
    if (pr === undefined) return; // no longer a member
    pr.acknowledge(m.matchIndex);
    if (pr.state === "snapshot") pr.becomeReplicate();
    this.#maybeCommit();
    this.#sendAppend(m.from, false);
  }

  #maybeCommit(): void {
    if (this.#role !== "leader") return;
    // A majority of the voters of the current configuration; learners never count.
    const n = quorumIndex(this.#voters().map((id) => this.#peerProgress(id).match));
    // Only entries of the current term are committed by counting (§5.4.2, Figure 8).
    if (n > this.#commit && this.#log.term(n) === this.#term) {
      this.#setCommit(n);
      this.#commitNotifyPending = true;
      if (this.#reads.awaitingIndex) this.#onFirstCommitInTerm();
      // Removed peers whose removal just committed: drop their progress.
      const config = this.#config.current;
      const expected =
        config.voters.length + config.learners.length + (isMember(config, this.id) ? 0 : 1);
      if (this.#progress.size !== expected) this.#syncProgress(false);
      this.#maybeStepDownRemoved();
    }
  }

  #setCommit(index: number): void {
    invariant(
      index <= this.#log.lastIndex,
      () => `commit ${index} beyond last index ${this.#log.lastIndex}`,
    );
    invariant(index >= this.#commit, () => `commit moving back from ${this.#commit} to ${index}`);
    this.#commit = index;
    this.#trace("commit", { index });
  }

  /** Sends new entries to every follower that can take them. */
  #broadcastAppend(): void {
    for (const to of this.#progress.keys()) if (to !== this.id) this.#sendAppend(to, false);
  }

  /** Tells followers with nothing else coming that the commit index moved. */
  #notifyCommit(): void {
    for (const [to, pr] of this.#progress) {
      if (to === this.id) continue;
      if (pr.state === "replicate" && pr.next > this.#log.lastIndex) this.#sendHeartbeat(to, pr);
    }
  }

  #heartbeat(): void {
    // Lease mode: every heartbeat is a round, so the lease keeps being renewed.
    if (this.#readMode === "lease") this.#reads.startRound(this.#leaderTicks, true);
    for (const [to, pr] of this.#progress) {
      if (to === this.id) continue;
      const silent = pr.silentHeartbeats++;
      switch (pr.state) {
        case "replicate":
          if (pr.inflight.length > 0 && silent >= 1) {
            // Nothing acknowledged for a whole heartbeat: assume the stream was lost.
            pr.becomeProbe();
            pr.next = pr.match + 1;
            this.#sendAppend(to, true);
          } else {
            this.#sendHeartbeat(to, pr);
          }
          break;
        case "probe":
          pr.paused = false;
          this.#sendAppend(to, true);
          break;
        case "snapshot":
          if (silent >= 3) {
            pr.paused = false;
            this.#sendAppend(to, true);
          }
          break;
      }
    }
  }

  /** An empty AppendEntries at the follower's known match: always accepted, carries commit. */
  #sendHeartbeat(to: PeerId, pr: Progress): void {
    const prev = Math.max(pr.match, this.#log.snapshot.index);
    this.#send<AppendEntries>({
      type: "AppendEntries",
      from: this.id,
      to,
      term: this.#term,
      prevLogIndex: prev,
      prevLogTerm: this.#log.term(prev) as number,
      entries: [],
      leaderCommit: this.#commit,
      readContext: this.#reads.context,
    });
  }

  /**
   * Sends what follower `to` needs next: entries from its `next` index, or the snapshot when
   * they were compacted away. With `allowEmpty` it sends even when there is no entry (a probe).
   */
  #sendAppend(to: PeerId, allowEmpty: boolean): void {
    const pr = this.#peerProgress(to);
    if (!pr.canSend(this.#maxInflight)) return;
    if (pr.next <= this.#log.snapshot.index) {
      invariant(
        this.#snapshot !== undefined,
        () => `compacted log without a snapshot at ${this.id}`,
      );
      pr.becomeSnapshot();
      pr.silentHeartbeats = 0;
      this.#send<InstallSnapshot>({
        type: "InstallSnapshot",
        from: this.id,
        to,
        term: this.#term,
        snapshot: this.#snapshot,
      });
      this.#trace("snapshot.send", { peer: to, index: this.#snapshot.meta.index });
      return;
    }
    const entries =
      pr.next <= this.#log.lastIndex
        ? this.#log.sliceBounded(pr.next, this.#maxEntries, this.#maxBytes)
        : [];
    if (entries.length === 0 && !allowEmpty) return;
    const prev = pr.next - 1;
    this.#send<AppendEntries>({
      type: "AppendEntries",
      from: this.id,
      to,
      term: this.#term,
      prevLogIndex: prev,
      prevLogTerm: this.#log.term(prev) as number,
      entries,
      leaderCommit: this.#commit,
      readContext: this.#reads.context,
    });
    const last = entries.at(-1);
    if (pr.state === "replicate") {
      if (last !== undefined) {
        // A new stream: its silence is counted in heartbeats from now on.
        if (pr.inflight.length === 0) pr.silentHeartbeats = 0;
        pr.next = last.index + 1;
        pr.inflight.push(last.index);
        // Keep streaming while the window allows.
        if (pr.next <= this.#log.lastIndex) this.#sendAppend(to, false);
      }
    } else {
      pr.paused = true;
    }
  }

  // ---------------------------------------------------------------------------------------
  // Reads and leadership transfer

  /**
   * Whether this leader's commit index covers every entry committed in the cluster: it has
   * committed an entry of its own term, or its whole log is known committed (by Leader
   * Completeness every entry committed before its term is in its log).
   */
  #knowsClusterCommit(): boolean {
    return this.#log.term(this.#commit) === this.#term || this.#commit === this.#log.lastIndex;
  }

  /** The highest read context a quorum acknowledged (the leader acknowledges every one). */
  #quorumReadContext(): number {
    return quorumIndex(
      this.#voters().map((id) =>
        id === this.id ? Number.MAX_SAFE_INTEGER : this.#peerProgress(id).readContext,
      ),
    );
  }

  #releaseReads(): void {
    if (this.#reads.size > 0) this.#reads.release(this.#quorumReadContext(), this.#readStates);
  }

  #onReadAck(pr: Progress, context: number): void {
    pr.readContext = context;
    const lease = this.#readMode === "lease";
    if (this.#reads.size === 0 && !lease) return;
    const acked = this.#quorumReadContext();
    if (this.#reads.size > 0) this.#reads.release(acked, this.#readStates);
    // Lease mode starts a round per heartbeat: forget the rounds the quorum has passed, even
    // when no read asks about the lease, so the list stays short.
    if (lease) this.#reads.roundStart(acked);
  }

  /** The first commit of this leader's term: reads waiting for an index get it. */
  #onFirstCommitInTerm(): void {
    this.#reads.assignIndex(this.#commit);
    this.#releaseReads();
  }

  /**
   * Lease mode: a quorum acknowledged a round that started less than the lease ago, in the
   * leader's ticks. Each of those followers received a message of the round after the round
   * started, and rejects votes for a minimum election timeout of its own ticks from then on
   * (check-quorum): so, while the ticks of all peers run at about the same rate, no other
   * leader can be elected before the lease ends. Never after a TimeoutNow in this term, since
   * the election it starts is granted within the lease.
   */
  #leaseHolds(): boolean {
    if (this.#leaseRevoked) return false;
    const acked = this.#quorumReadContext();
    if (acked === Number.MAX_SAFE_INTEGER) return true;
    const start = this.#reads.roundStart(acked);
    return start !== undefined && this.#leaderTicks - start < this.#leaseTicks;
  }

  /** Starts a round for the reads that arrived since the last one: a heartbeat to every follower. */
  #broadcastReadRound(): void {
    this.#reads.startRound(this.#leaderTicks, this.#readMode === "lease");
    this.#trace("read.round", { context: this.#reads.context, reads: this.#reads.size });
    for (const [to, pr] of this.#progress) {
      if (to === this.id) continue;
      // A follower waiting for a snapshot may not hold the entry at its match, and would
      // reject the heartbeat; it takes part in rounds again once its snapshot is in.
      if (pr.state !== "snapshot") this.#sendHeartbeat(to, pr);
    }
  }

  /** Leadership transfer: TimeoutNow to the target once it holds the whole log. */
  #maybeSendTimeoutNow(): boolean {
    const t = this.#transfer as LeadershipTransfer;
    const pr = this.#peerProgress(t.to);
    if (pr.match < this.#log.lastIndex) return false;
    t.timeoutNowSent++;
    // The election it starts is granted within the lease: no lease reads for the rest of
    // the term, even if the transfer is aborted (the message may still arrive).
    this.#leaseRevoked = true;
    this.#send<TimeoutNow>({ type: "TimeoutNow", from: this.id, to: t.to, term: this.#term });
    this.#trace("transfer.timeoutnow", { to: t.to, sent: t.timeoutNowSent });
    return true;
  }

  /** The target of a transfer: campaign now, skipping pre-vote, with the transfer flag. */
  #onTimeoutNow(m: TimeoutNow): void {
    if (m.term !== this.#term || this.#role === "leader") {
      this.#trace("drop", { reason: "stale TimeoutNow", from: m.from, messageTerm: m.term });
      return;
    }
    if (!this.#isVoter(this.id)) {
      this.#trace("drop", { reason: "TimeoutNow to a non-voter", from: m.from });
      return;
    }
    this.#trace("transfer.campaign", { from: m.from });
    this.#campaign(true);
  }

  #endTransfer(outcome: TransferOutcome, reason: string): void {
    const t = this.#transfer as LeadershipTransfer;
    this.#transfer = undefined;
    this.#transferResults.push(t.result(this.#term, outcome, reason));
    this.#trace("transfer.end", { to: t.to, outcome, reason });
  }

  /** A transfer whose leader stepped down ends when this peer learns who leads now. */
  #settleTransfer(): void {
    const t = this.#transfer;
    if (t === undefined || t.leading || this.#leaderId === null || this.#term <= t.fromTerm) return;
    if (this.#leaderId === t.to) this.#endTransfer("completed", "new-leader");
    else this.#endTransfer("failed", this.#leaderId === this.id ? "self" : "other-leader");
  }

  #tickReadsAndTransfer(): void {
    if (this.#bootTicks < this.#electionMin) this.#bootTicks++;
    if (this.#role === "leader") this.#leaderTicks++;
    const t = this.#transfer;
    if (t === undefined) return;
    t.elapsed++;
    if (t.leading) {
      if (t.elapsed >= this.#electionMin) this.#endTransfer("aborted", "timeout");
    } else if (++t.sinceStepDown >= this.#electionMax) {
      this.#endTransfer("failed", "no-leader");
    }
  }

  /** This peer stops leading: reads in flight fail; a transfer waits to learn who leads. */
  #stepDownReadsAndTransfer(): void {
    const failed = this.#reads.failAll();
    for (const id of failed) this.#failedReads.push(id);
    if (failed.length > 0) this.#trace("read.fail", { reads: failed.length });
    if (this.#transfer !== undefined) this.#transfer.leading = false;
  }

  /** A new term of leadership: rounds start again from context 0; the lease is fresh. */
  #startLeadingReadsAndTransfer(): void {
    this.#settleTransfer();
    this.#reads = new ReadOnly();
    this.#leaderTicks = 0;
    this.#leaseRevoked = false;
  }

  #send<M extends Message>(message: M): void {
    this.#messages.push(message);
  }

  #selfProgress(): Progress {
    return this.#peerProgress(this.id);
  }

  /** A leader's progress of member `id` (every member has one while this peer leads). */
  #peerProgress(id: PeerId): Progress {
    const pr = this.#progress.get(id);
    invariant(pr !== undefined, () => `leader ${this.id} has no progress for peer ${id}`);
    return pr;
  }

  // ---------------------------------------------------------------------------------------
  // Membership

  #voters(): readonly PeerId[] {
    return this.#config.current.voters;
  }

  #isVoter(id: PeerId): boolean {
    return isVoter(this.#config.current, id);
  }

  /** Whether `ids` hold a majority of the current voters (non-voters in `ids` do not count). */
  #hasQuorum(ids: ReadonlySet<PeerId>): boolean {
    const voters = this.#voters();
    let n = 0;
    for (const id of voters) if (ids.has(id)) n++;
    return voters.length > 0 && n >= quorum(voters.length);
  }

  /** Appends a config entry on the leader: the configuration takes effect at once. */
  #appendConfig(config: Configuration): Entry {
    const entry: Entry = {
      term: this.#term,
      index: this.#log.lastIndex + 1,
      command: encodeConfiguration(config),
      kind: "config",
    };
    this.#log.append(entry);
    this.#acknowledgeOwn(entry.index);
    this.#appendPending = true;
    this.#config.append({ index: entry.index, term: entry.term, config });
    this.#onConfigChanged();
    return entry;
  }

  /**
   * After merging a leader's entries: config entries the merge truncated no longer count (the
   * configuration before them is back in effect), new ones take effect.
   */
  #syncConfigAfterMerge(entries: readonly Entry[]): void {
    let changed = this.#config.retainHeld((i) => this.#log.term(i));
    for (const e of entries) {
      if (e.kind !== "config" || e.index <= this.#config.latest.index) continue;
      if (this.#log.term(e.index) !== e.term) continue;
      this.#config.append(configRecord(e));
      changed = true;
    }
    if (changed) this.#onConfigChanged();
  }

  /** The configuration in effect changed (a config entry appended or truncated, a snapshot). */
  #onConfigChanged(): void {
    this.#trace("config", {
      config: formatConfiguration(this.#config.current),
      index: this.#config.latest.index,
    });
    if (this.#role !== "leader") return;
    this.#syncProgress(true);
    const t = this.#transfer;
    if (t?.leading === true && !this.#isVoter(t.to)) this.#endTransfer("aborted", "not-a-voter");
    // The quorum changed: entries and reads it now confirms go ahead.
    this.#maybeCommit();
    this.#releaseReads();
  }

  /**
   * A leader keeps a progress for exactly the members of the configuration (and itself); with
   * `probeNew`, a member that is new gets a probe at once.
   */
  #syncProgress(probeNew: boolean): void {
    const config = this.#config.current;
    for (const id of members(config)) {
      if (this.#progress.has(id)) continue;
      this.#progress.set(id, new Progress(this.#log.lastIndex + 1));
      // A new member: probe at once where its log ends (no need to wait for a heartbeat).
      if (probeNew && id !== this.id) this.#sendAppend(id, true);
    }
    // A removed peer keeps getting the log until its removal commits: it then holds the
    // config entry that removed it, knows it is no voter, and does not campaign.
    if (this.#commit < this.#config.latest.index) return;
    for (const id of [...this.#progress.keys()]) {
      if (id !== this.id && !members(config).includes(id)) this.#progress.delete(id);
    }
  }

  /**
   * A leader that is no longer a voter steps down once the config entry that says so commits
   * (until then it leads, not counting itself). It tells the voters of the commit, and hands
   * over to a voter that holds its whole log, so the cluster need not wait for a timeout.
   */
  #maybeStepDownRemoved(): void {
    if (this.#isVoter(this.id) || this.#commit < this.#config.latest.index) return;
    let successor: PeerId | undefined;
    for (const [to, pr] of this.#progress) {
      if (to === this.id) continue;
      if (pr.state !== "snapshot") this.#sendHeartbeat(to, pr);
      if (successor === undefined && this.#isVoter(to) && pr.match === this.#log.lastIndex) {
        successor = to;
      }
    }
    if (successor !== undefined) {
      this.#leaseRevoked = true;
      this.#send<TimeoutNow>({
        type: "TimeoutNow",
        from: this.id,
        to: successor,
        term: this.#term,
      });
    }
    this.#trace("config.stepdown", { successor: successor ?? null });
    this.#becomeFollower(this.#term, null);
  }

  /** A leader's own log reached `index`: it counts towards the quorum once durable. */
  #acknowledgeOwn(index: number): void {
    if (!this.#asyncWrites) this.#selfProgress().acknowledge(index); // else see `persisted`
  }

  /** How far this peer's own log counts towards a quorum: all of it, unless writes are async. */
  #ownDurableIndex(): number {
    return this.#asyncWrites ? this.#log.durableThrough : this.#log.lastIndex;
  }

  /** Entries are handed out for application up to here: committed, and durable here. */
  #applyLimit(): number {
    return this.#asyncWrites ? Math.min(this.#commit, this.#log.durableThrough) : this.#commit;
  }

  #hardState(): HardState {
    return { term: this.#term, votedFor: this.#votedFor, commit: this.#commit };
  }
}

/** The configuration a config entry carries. */
function configRecord(entry: Entry): ConfigRecord {
  return { index: entry.index, term: entry.term, config: decodeConfiguration(entry.command) };
}

/** `0..2` for consecutive ids, else `0, 2, 5`; `none` for no id. */
function formatIds(ids: readonly PeerId[]): string {
  if (ids.length === 0) return "none";
  const first = ids[0] as PeerId;
  const last = ids.at(-1) as PeerId;
  if (ids.length > 1 && last - first === ids.length - 1) return `${first}..${last}`;
  return ids.join(", ");
}

/** Shared by every Ready with no reads or transfers to report (never mutated). */
const NONE: readonly never[] = Object.freeze([]);

function sameHardState(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.votedFor === b.votedFor && a.commit === b.commit;
}
