import { type Codec, codecs, type Value } from "@lab/labgob";
import type { ClientEnd, Clock, Random, RpcServer, Tracer } from "@lab/labrpc";
import type { Configuration } from "../core/configuration.js";
import type { MembershipChange } from "../core/membership.js";
import type { RaftStatus } from "../core/raft-core.js";
import type { PeerId } from "../core/types.js";
import type { Persister } from "../storage/persister.js";
import { PersisterStorage } from "../storage/persister-storage.js";
import type { Storage } from "../storage/storage.js";
import type { ApplyMsg } from "./apply-msg.js";
import { type MembershipChangeResult, RaftNode, type RaftTuning } from "./raft-node.js";
import type {
  ReadIndexOptions,
  ReadIndexResult,
  TransferLeadershipResult,
} from "./read-and-transfer.js";

export interface MakeRaftOptions<Command> {
  /** Client ends to every peer, indexed by peer id (the course's `peers`). */
  readonly peers: readonly (ClientEnd | undefined)[];
  /** This peer's index (the course's `me`). */
  readonly me: PeerId;
  /** The course's Persister, or any {@link Storage}. */
  readonly persister: Persister | Storage;
  /** The course's `applyCh`: receives committed commands and snapshots in order. */
  readonly apply: (message: ApplyMsg<Command>) => void | Promise<void>;
  readonly clock: Clock;
  readonly random: Random;
  /** How commands become log bytes. Default: labgob's value codec (any JSON-like value). */
  readonly codec?: Codec<Command>;
  readonly tracer?: Tracer;
  readonly tickMs?: number;
  /** Give up on an RPC to a peer after this long (default: never; the transport decides). */
  readonly rpcTimeoutMs?: number;
  readonly tuning?: RaftTuning;
  readonly onFatal?: (error: unknown) => void;
  /** Membership change: see `RaftNodeOptions.initialConfiguration` (default: all of `peers` voters). */
  readonly initialConfiguration?: Configuration;
  /** Membership change: an end for a peer `peers` has none for (`RaftNodeOptions.resolvePeer`). */
  readonly resolvePeer?: (id: PeerId) => ClientEnd | undefined;
}

/**
 * A Raft peer with the course's API: `start(command)`, `getState()`, `snapshot(index, bytes)`,
 * `kill()`; commands are typed values encoded by a codec.
 */
export class Raft<Command = Value> {
  readonly node: RaftNode;
  readonly #codec: Codec<Command>;

  constructor(node: RaftNode, codec: Codec<Command>) {
    this.node = node;
    this.#codec = codec;
  }

  /** The course's `Start`: proposes `command`; returns its index, the term and leadership. */
  start(command: Command): { index: number; term: number; isLeader: boolean } {
    return this.node.start(this.#codec.encode(command));
  }

  /** The course's `GetState`. */
  getState(): { term: number; isLeader: boolean } {
    return this.node.getState();
  }

  /** The course's `Snapshot`: the service's state includes everything up to `index`. */
  snapshot(index: number, snapshot: Uint8Array): void {
    this.node.snapshot(index, snapshot);
  }

  /**
   * A linearizable read without a log entry (ReadIndex): resolves with the index the service
   * must have applied before it serves the read (see {@link RaftNode.readIndex}).
   */
  readIndex(options?: ReadIndexOptions): Promise<ReadIndexResult> {
    return this.node.readIndex(options);
  }

  /** Hands leadership to peer `to` (see {@link RaftNode.transferLeadership}). */
  transferLeadership(to: PeerId): Promise<TransferLeadershipResult> {
    return this.node.transferLeadership(to);
  }

  /** Changes the membership by one peer (see {@link RaftNode.changeMembership}). */
  changeMembership(
    change: MembershipChange,
    options?: { readonly waitMs?: number },
  ): Promise<MembershipChangeResult> {
    return this.node.changeMembership(change, options);
  }

  /** Adds a voter: as a learner, promoted once caught up (see {@link RaftNode.addVoter}). */
  addVoter(id: PeerId, options?: { readonly catchUpMs?: number }): Promise<MembershipChangeResult> {
    return this.node.addVoter(id, options);
  }

  /** The configuration this peer uses (its latest config entry). */
  configuration(): Configuration {
    return this.node.configuration();
  }

  /** Role, term, leader, commit and applied indexes, log bounds, transfer in progress. */
  status(): RaftStatus {
    return this.node.status();
  }

  /** Serves this peer's RPCs (`Raft.RequestVote`, `Raft.AppendEntries`, `Raft.InstallSnapshot`, `Raft.TimeoutNow`). */
  register(server: RpcServer): void {
    this.node.register(server);
  }

  /** The course's `Kill`. */
  kill(): void {
    this.node.kill();
  }

  get killed(): boolean {
    return this.node.killed;
  }
}

function isPersister(p: Persister | Storage): p is Persister {
  return typeof (p as Partial<Persister>).readRaftState === "function";
}

/**
 * The course's `Make(peers, me, persister, applyCh)`: creates a peer that restores from its
 * persister and starts at once. Register its RPCs with `raft.register(rpcServer)`.
 */
export function makeRaft<Command = Value>(options: MakeRaftOptions<Command>): Raft<Command> {
  const codec = options.codec ?? (codecs.value as unknown as Codec<Command>);
  const storage = isPersister(options.persister)
    ? new PersisterStorage(options.persister)
    : options.persister;
  const node = new RaftNode({
    id: options.me,
    peers: options.peers,
    storage,
    clock: options.clock,
    random: options.random,
    apply: (message) =>
      options.apply(
        message.commandValid ? { ...message, command: codec.decode(message.command) } : message,
      ),
    ...(options.tracer !== undefined ? { tracer: options.tracer } : {}),
    ...(options.tickMs !== undefined ? { tickMs: options.tickMs } : {}),
    ...(options.rpcTimeoutMs !== undefined ? { rpcTimeoutMs: options.rpcTimeoutMs } : {}),
    ...(options.tuning !== undefined ? { tuning: options.tuning } : {}),
    ...(options.onFatal !== undefined ? { onFatal: options.onFatal } : {}),
    ...(options.initialConfiguration !== undefined
      ? { initialConfiguration: options.initialConfiguration }
      : {}),
    ...(options.resolvePeer !== undefined ? { resolvePeer: options.resolvePeer } : {}),
  });
  return new Raft(node, codec);
}
