import type { ClientEnd } from "@lab/labrpc";
import { RealClock, SeededRandom } from "@lab/labrpc";
import { RaftNode, type RaftTuning, type Storage } from "@lab/raft";
import type { ReplicationTarget } from "./workload.js";

/**
 * The suite's leader campaigns after 1.0-1.01 s, every other peer only after 10-12 s, so the
 * leader is known in advance and no election happens during a run (a measurement that sees
 * leadership move fails instead of reporting a mixed figure). The leader's timeout is long too
 * because check-quorum steps a leader down that heard from no majority within it, and acks
 * behind a queue of fsyncs on a busy machine take hundreds of milliseconds.
 */
export const LEADER_ID = 0;
const LEADER_ELECTION = { min: 100, max: 101 } as const;
const FOLLOWER_ELECTION = { min: 1000, max: 1200 } as const;

/** Raft's batching defaults, written out so the baseline uses the very same limits. */
export const LIMITS = {
  maxEntriesPerMessage: 1024,
  maxBytesPerMessage: 1024 * 1024,
  maxInflight: 32,
} as const;

/** Every peer compacts its log every this many applied entries (an empty snapshot). */
export const COMPACT_EVERY = 50_000;

export interface BenchPeer {
  readonly node: RaftNode;
  /** Proposals and commits at this peer (meaningful at the leader). */
  readonly target: ReplicationTarget;
}

/**
 * A Raft peer of the suite: a `RaftNode` on `storage`, applying every committed entry to a
 * listener (the load's) and compacting every {@link COMPACT_EVERY} entries like a service.
 */
export function startBenchPeer(options: {
  readonly id: number;
  readonly peers: readonly (ClientEnd | undefined)[];
  readonly storage: Storage;
  readonly rpcTimeoutMs?: number;
  readonly onFatal: (error: unknown) => void;
}): BenchPeer {
  let listener: (index: number) => void = () => {};
  let compacted = 0;
  const tuning: RaftTuning = {
    ...LIMITS,
    electionTicks: options.id === LEADER_ID ? LEADER_ELECTION : FOLLOWER_ELECTION,
  };
  const node: RaftNode = new RaftNode({
    id: options.id,
    peers: options.peers,
    storage: options.storage,
    clock: new RealClock(),
    random: new SeededRandom(1000 + options.id),
    tuning,
    ...(options.rpcTimeoutMs === undefined ? {} : { rpcTimeoutMs: options.rpcTimeoutMs }),
    onFatal: options.onFatal,
    apply: (message) => {
      if (!message.commandValid) return;
      const index = message.commandIndex;
      listener(index);
      if (index - compacted >= COMPACT_EVERY) {
        compacted = index;
        node.snapshot(index, new Uint8Array(0));
      }
    },
  });
  return {
    node,
    target: {
      propose: (command) => {
        const { index, isLeader } = node.start(command);
        return isLeader ? index : -1;
      },
      onCommit: (next) => {
        listener = next;
      },
    },
  };
}

/** Resolves once `node` leads (polling every 10 ms); rejects after `timeoutMs`. */
export async function awaitLeadership(node: RaftNode, timeoutMs = 20_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!node.getState().isLeader) {
    if (performance.now() > until)
      throw new Error(`peer ${node.id} not leader after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
