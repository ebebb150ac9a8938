import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type ClientEnd, LocalTransport, RpcServer, TcpTransport } from "@lab/labrpc";
import { MemoryStorage, type Storage } from "@lab/raft";
import { DiskStorage, type DiskStorageStats } from "@lab/raft/disk";
import { freePorts, type ProcessGroup, type ServerProcess } from "../kvraft/server-processes.js";
import { addBaselineFollower, BaselineLeader } from "./baseline.js";
import type { PeerConfig } from "./peer-main.js";
import { awaitLeadership, COMPACT_EVERY, LEADER_ID, LIMITS, startBenchPeer } from "./raft-peer.js";
import type { ReplicationTarget } from "./workload.js";

/** A running cluster (Raft or baseline): proposals go to `target`, at the leader. */
export interface Running {
  readonly target: ReplicationTarget;
  /** Counters of the leader's DiskStorage (durable setups). */
  readonly leaderStats?: () => DiskStorageStats;
  close(): Promise<void>;
}

export interface SetupContext {
  readonly nodes: number;
  readonly group: ProcessGroup;
  /** The bundled `peer-main.ts`. */
  readonly peerFile: string;
  /** Storage directories go below it. */
  readonly scratch: string;
  /** Fails the measurement (a peer stopped). */
  readonly onFatal: (error: unknown) => void;
}

/** One way of running Raft, and its baseline on the same transport and storage. */
export interface Setup {
  readonly name: string;
  readonly baselineName: string;
  /** Entries per second offered for the latency figures, well below the throughput. */
  latencyRate(entryBytes: number): number;
  startRaft(context: SetupContext): Promise<Running>;
  startBaseline(context: SetupContext): Promise<Running>;
}

let runs = 0;

async function storageDir(scratch: string, label: string): Promise<string> {
  const dir = join(scratch, `${label}-${++runs}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/**
 * Every peer in this process on a `LocalTransport` (each request and reply encoded by its
 * codec and crossing on `setImmediate`, so timers keep running), `MemoryStorage`.
 */
export const inProcess: Setup = {
  name: "in-process",
  baselineName: "no consensus, LocalTransport",
  latencyRate: (bytes) => (bytes <= 128 ? 5_000 : 500),
  async startRaft({ nodes, onFatal }) {
    const transport = new LocalTransport();
    const peers = Array.from({ length: nodes }, (_, id) =>
      startBenchPeer({
        id,
        peers: Array.from({ length: nodes }, (_, j) =>
          j === id ? undefined : transport.end(`raft-${j}`),
        ),
        storage: new MemoryStorage(),
        onFatal,
      }),
    );
    peers.forEach(({ node }, id) => {
      const rpc = new RpcServer();
      node.register(rpc);
      transport.serve(`raft-${id}`, rpc);
    });
    const leader = peers[LEADER_ID] as (typeof peers)[number];
    await awaitLeadership(leader.node);
    return {
      target: leader.target,
      close: async () => {
        for (const { node } of peers) node.kill();
        transport.close();
      },
    };
  },
  async startBaseline({ nodes }) {
    const transport = new LocalTransport();
    const followers: ClientEnd[] = [];
    for (let f = 1; f < nodes; f++) {
      transport.serve(
        `baseline-${f}`,
        addBaselineFollower(new RpcServer(), new MemoryStorage(), COMPACT_EVERY),
      );
      followers.push(transport.end(`baseline-${f}`));
    }
    const leader = new BaselineLeader({
      followers,
      storage: new MemoryStorage(),
      limits: LIMITS,
      compactEvery: COMPACT_EVERY,
    });
    return { target: leader, close: async () => transport.close() };
  },
};

/** The leader in this process, every follower a process of its own, TCP on 127.0.0.1. */
function overTcp(durable: boolean): Setup {
  const storage = async (scratch: string, label: string): Promise<Storage> =>
    durable ? DiskStorage.open(await storageDir(scratch, label)) : new MemoryStorage();
  const closeStorage = async (s: Storage) => {
    if (s instanceof DiskStorage) await s.close();
  };
  return {
    name: durable ? "TCP, disk + fsync" : "TCP, memory",
    baselineName: durable ? "no consensus, TCP, disk + fsync" : "no consensus, TCP, memory",
    latencyRate: (bytes) => (durable ? (bytes <= 128 ? 1_000 : 250) : bytes <= 128 ? 5_000 : 500),
    async startRaft({ nodes, group, peerFile, scratch, onFatal }) {
      const addresses = (await freePorts(nodes)).map((port) => `127.0.0.1:${port}`);
      const children: ServerProcess[] = [];
      const transport = new TcpTransport();
      let leaderStorage: Storage | undefined;
      try {
        for (let id = 0; id < nodes; id++) {
          if (id === LEADER_ID) continue;
          const config: PeerConfig = {
            kind: "raft",
            id,
            addresses,
            ...(durable ? { dir: await storageDir(scratch, `raft-${id}`) } : {}),
          };
          children.push(await group.start(peerFile, config));
        }
        leaderStorage = await storage(scratch, "raft-leader");
        const peer = startBenchPeer({
          id: LEADER_ID,
          peers: addresses.map((a, j) => (j === LEADER_ID ? undefined : transport.end(a))),
          storage: leaderStorage,
          rpcTimeoutMs: 1000,
          onFatal,
        });
        const rpc = new RpcServer();
        peer.node.register(rpc);
        const [host, port] = (addresses[LEADER_ID] as string).split(":");
        await transport.serve(rpc, { host: host as string, port: Number(port) });
        await awaitLeadership(peer.node);
        const owned = leaderStorage;
        return {
          target: peer.target,
          ...(owned instanceof DiskStorage ? { leaderStats: () => owned.stats() } : {}),
          close: async () => {
            peer.node.kill();
            await transport.close();
            await Promise.all(children.map((c) => c.stop()));
            await closeStorage(owned);
          },
        };
      } catch (error) {
        await transport.close();
        await Promise.all(children.map((c) => c.stop()));
        if (leaderStorage !== undefined) await closeStorage(leaderStorage);
        throw error;
      }
    },
    async startBaseline({ nodes, group, peerFile, scratch }) {
      const children: ServerProcess[] = [];
      const transport = new TcpTransport();
      try {
        for (let f = 1; f < nodes; f++) {
          const config: PeerConfig = {
            kind: "baseline",
            ...(durable ? { dir: await storageDir(scratch, `baseline-${f}`) } : {}),
          };
          children.push(await group.start(peerFile, config));
        }
        const leaderStorage = await storage(scratch, "baseline-leader");
        const leader = new BaselineLeader({
          followers: children.map((c) => transport.end(c.address)),
          storage: leaderStorage,
          limits: LIMITS,
          compactEvery: COMPACT_EVERY,
        });
        return {
          target: leader,
          ...(leaderStorage instanceof DiskStorage
            ? { leaderStats: () => leaderStorage.stats() }
            : {}),
          close: async () => {
            await transport.close();
            await Promise.all(children.map((c) => c.stop()));
            await closeStorage(leaderStorage);
          },
        };
      } catch (error) {
        await transport.close();
        await Promise.all(children.map((c) => c.stop()));
        throw error;
      }
    },
  };
}

export const tcpMemory = overTcp(false);
export const tcpDurable = overTcp(true);
export const SETUPS: readonly Setup[] = [inProcess, tcpMemory, tcpDurable];
