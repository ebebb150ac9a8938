import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { addKvRaftService, KvRaftClerk, KvRaftServer } from "@lab/kvraft";
import { connectKvRaft } from "@lab/kvraft/server";
import { LocalTransport, RealClock, RpcServer, SeededRandom } from "@lab/labrpc";
import { MemoryStorage } from "@lab/raft";
import { addPlainMapService } from "./plain-map.js";
import type { ProcessGroup, ServerProcess } from "./server-processes.js";
import { freePorts } from "./server-processes.js";
import type { LoadClerk } from "./workload.js";

/** The suite's server count: a 3-server cluster. */
export const SERVERS = 3;

/** Something the load runs against: a pool of clerks (take the first n), and how to stop it. */
export interface Target {
  readonly clerks: readonly LoadClerk[];
  close(): Promise<void>;
}

/** One way of running the cluster, with its baseline on the same transport. */
export interface Setup {
  readonly name: string;
  /** What the baseline is, for the table's last column. */
  readonly baselineName: string;
  start(context: SetupContext): Promise<{ kvraft: Target; baseline: Target }>;
}

export interface SetupContext {
  /** How many clerks each pool holds (the largest concurrency measured). */
  readonly clerks: number;
  readonly group: ProcessGroup;
  /** The bundled server process (see `server-processes.ts`). */
  readonly serverFile: string;
  /** A scratch directory for storage directories. */
  readonly scratch: string;
}

/** Server defaults everywhere (maxRaftState 4 MiB, requestTimeoutMs 1000, tickMs 10). */
const MAX_RAFT_STATE = 4 * 1024 * 1024;

/**
 * Three `KvRaftServer`s and their clerks in this process on a `LocalTransport` (requests and
 * replies encoded by their codecs, delivered on `setImmediate`), `MemoryStorage`, a real clock.
 * Baseline: the plain map on another `LocalTransport` in this process.
 */
export const inProcess: Setup = {
  name: "in-process",
  baselineName: "Map, LocalTransport",
  async start({ clerks }) {
    const clock = new RealClock();
    const ids = new SeededRandom(1);
    const transport = new LocalTransport();
    const servers: KvRaftServer[] = [];
    for (let me = 0; me < SERVERS; me++) {
      const server = new KvRaftServer({
        peers: Array.from({ length: SERVERS }, (_, j) =>
          j === me ? undefined : transport.end(`kv-${j}`),
        ),
        me,
        persister: new MemoryStorage(),
        maxRaftState: MAX_RAFT_STATE,
        clock,
        random: new SeededRandom(100 + me),
      });
      transport.serve(`kv-${me}`, addKvRaftService(server));
      servers.push(server);
    }
    const ends = Array.from({ length: SERVERS }, (_, j) => transport.end(`kv-${j}`));
    const mapTransport = new LocalTransport();
    mapTransport.serve("map", addPlainMapService(new RpcServer()));
    const mapEnds = [mapTransport.end("map")];
    return {
      kvraft: {
        clerks: pool(clerks, () => new KvRaftClerk(ends, { clock, random: ids })),
        close: async () => {
          for (const server of servers) server.kill();
          transport.close();
        },
      },
      baseline: {
        clerks: pool(clerks, () => new KvRaftClerk(mapEnds, { clock, random: ids })),
        close: async () => mapTransport.close(),
      },
    };
  },
};

/** Three server processes on 127.0.0.1 (`startKvRaftServer`), MemoryStorage; clerks here. */
export const tcpMemory: Setup = {
  name: "TCP, memory",
  baselineName: "Map process, TCP",
  start: (context) => startOverTcp(context, false),
};

/** As {@link tcpMemory}, each server on a `DiskStorage` directory with fsync. */
export const tcpDurable: Setup = {
  name: "TCP, disk + fsync",
  baselineName: "Map process, TCP",
  start: (context) => startOverTcp(context, true),
};

export const SETUPS: readonly Setup[] = [inProcess, tcpMemory, tcpDurable];

async function startOverTcp(
  { clerks, group, serverFile, scratch }: SetupContext,
  durable: boolean,
): Promise<{ kvraft: Target; baseline: Target }> {
  const cluster = await startCluster(group, serverFile, durable ? scratch : undefined);
  const map = await group.start(serverFile, { kind: "map" });
  const connection = connectKvRaft(cluster.addresses);
  const mapConnection = connectKvRaft([map.address]);
  return {
    kvraft: {
      clerks: pool(clerks, () => connection.clerk()),
      close: async () => {
        await connection.close();
        await Promise.all(cluster.processes.map((p) => p.stop()));
      },
    },
    baseline: {
      clerks: pool(clerks, () => mapConnection.clerk()),
      close: async () => {
        await mapConnection.close();
        await map.stop();
      },
    },
  };
}

/** Starts the three kvraft processes; on a port someone took meanwhile, again on fresh ports. */
async function startCluster(
  group: ProcessGroup,
  serverFile: string,
  diskRoot: string | undefined,
): Promise<{ addresses: string[]; processes: ServerProcess[] }> {
  for (let attempt = 1; ; attempt++) {
    const addresses = (await freePorts(SERVERS)).map((port) => `127.0.0.1:${port}`);
    const dirs: (string | undefined)[] = [];
    for (let id = 0; id < SERVERS; id++) {
      if (diskRoot === undefined) {
        dirs.push(undefined);
        continue;
      }
      const dir = join(diskRoot, `disk-${attempt}-${id}`);
      await mkdir(dir, { recursive: true });
      dirs.push(dir);
    }
    const started = await Promise.allSettled(
      dirs.map((dir, id) =>
        group.start(serverFile, {
          kind: "kvraft",
          id,
          addresses,
          ...(dir === undefined ? {} : { dir }),
        }),
      ),
    );
    const processes = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    if (processes.length === SERVERS) return { addresses, processes };
    await Promise.all(processes.map((p) => p.stop()));
    const errors = started.flatMap((s) => (s.status === "rejected" ? [String(s.reason)] : []));
    if (attempt >= 3 || !errors.every((e) => e.includes("EADDRINUSE"))) {
      throw new Error(`kvraft cluster did not start: ${errors.join("; ")}`);
    }
  }
}

function pool(n: number, make: () => LoadClerk): LoadClerk[] {
  return Array.from({ length: n }, make);
}
