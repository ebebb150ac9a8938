import type { Value } from "@lab/labgob";
import type { ClientEnd, Clock, Random, RpcServer, Tracer } from "@lab/labrpc";
import type { ApplyMsg } from "../node/apply-msg.js";
import { makeRaft } from "../node/make-raft.js";
import type { RaftTuning } from "../node/raft-node.js";
import type {
  ReadIndexOptions,
  ReadIndexResult,
  TransferLeadershipResult,
} from "../node/read-and-transfer.js";
import type { Persister } from "../storage/persister.js";
import { PersisterStorage } from "../storage/persister-storage.js";
import { DelayedSyncStorage } from "./delayed-sync-storage.js";

/**
 * What the harness needs of a Raft peer: the course's API plus a way to serve its RPCs. Our
 * `Raft` class satisfies it; so can yours, to run the course's scenarios against your own Raft
 * (see {@link RaftPeerFactory}).
 */
export interface RaftPeer {
  /** The course's `Start`: returns at once, never waits for the commit. */
  start(command: Value): { index: number; term: number; isLeader: boolean };
  /** The course's `GetState`. */
  getState(): { term: number; isLeader: boolean };
  /** The course's `Snapshot`, called from inside `apply` in snapshot mode. */
  snapshot(index: number, snapshot: Uint8Array): void;
  /** The course's `Kill`: after it the peer sends, persists and applies nothing more. */
  kill(): void;
  /** Adds this peer's RPC handlers (any service and method names) to `server`. */
  register(server: RpcServer): void;
  /**
   * Optional, beyond the course: a linearizable read without a log entry (ReadIndex). The
   * harness's {@link RaftCluster.readIndex} needs it; this package's Raft has it.
   */
  readIndex?(options?: ReadIndexOptions): Promise<ReadIndexResult>;
  /** Optional, beyond the course: leadership transfer ({@link RaftCluster.transferLeadership}). */
  transferLeadership?(to: number): Promise<TransferLeadershipResult>;
  /** Optional: the peer's commit index, for {@link RaftCluster.maxCommitIndex}. */
  status?(): { readonly commit: number };
}

/** Everything the course's `Make` receives, plus the simulator's clock and randomness. */
export interface RaftPeerArgs {
  /** Client ends to every peer, indexed by peer id (the course's `peers`). */
  readonly peers: readonly (ClientEnd | undefined)[];
  /** This peer's index (the course's `me`). */
  readonly me: number;
  /** Restore from it, save to it (the course's `persister`). */
  readonly persister: Persister;
  /** The course's `applyCh`: committed commands and snapshots, in order. */
  readonly apply: (message: ApplyMsg<Value>) => void | Promise<void>;
  /** Virtual time: use it for every timer (never setTimeout or Date). */
  readonly clock: Clock;
  /** A seeded stream for this peer's randomness: the only source of randomness a peer may use. */
  readonly random: Random;
  /** The run's tracer when tracing, for your own trace events. */
  readonly tracer?: Tracer;
  /** Call with an error that stopped the peer: the scenario fails at its next check. */
  readonly onFatal: (error: unknown) => void;
}

/** Makes one peer; the harness calls it at every (re)start of a server. */
export type RaftPeerFactory = (args: RaftPeerArgs) => RaftPeer;

/**
 * The factory for this package's Raft, with optional timing and batching settings, and a slow
 * disk (`syncDelayMs`: each persist durable 0 to that many ms later, see
 * {@link DelayedSyncStorage}).
 */
export function makeLabRaftPeer(
  settings: {
    readonly tickMs?: number;
    readonly tuning?: RaftTuning;
    readonly syncDelayMs?: number;
  } = {},
): RaftPeerFactory {
  const delay = settings.syncDelayMs ?? 0;
  return (args) =>
    makeRaft<Value>({
      peers: args.peers,
      me: args.me,
      persister:
        delay > 0
          ? new DelayedSyncStorage(
              new PersisterStorage(args.persister),
              args.clock,
              args.random.fork("disk"),
              delay,
            )
          : args.persister,
      clock: args.clock,
      random: args.random,
      apply: args.apply,
      onFatal: args.onFatal,
      ...(args.tracer ? { tracer: args.tracer } : {}),
      ...(settings.tickMs !== undefined ? { tickMs: settings.tickMs } : {}),
      ...(settings.tuning !== undefined ? { tuning: settings.tuning } : {}),
    });
}
