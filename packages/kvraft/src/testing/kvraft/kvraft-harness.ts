import { type ClientEnd, type Clock, type Random, RpcServer, type Tracer } from "@lab/labrpc";
import { Persister, type RaftTuning } from "@lab/raft";
import { KvRaftClerk } from "../../kvraft/clerk.js";
import { addKvRaftService } from "../../kvraft/serve.js";
import { KvRaftServer } from "../../kvraft/server.js";
import type { ArtifactWriter } from "../artifacts.js";
import { SimulatedKvHarness } from "../simulated-kv-harness.js";
import { TestClerk } from "../test-clerk.js";

/** A kvraft server as the harness drives it: yours, or this package's {@link KvRaftServer}. */
export interface KvraftPeer {
  /** Serves the `KVServer` service and the Raft service(s) on `rpc`. */
  register(rpc: RpcServer): void;
  /** Whether this server's Raft believes it is the leader (the course's `rf.GetState()`). */
  isLeader(): boolean;
  /** The course's `Kill`. */
  kill(): void;
}

/** What the course's `StartKVServer` receives, plus the simulator's clock and a seeded stream. */
export interface KvraftPeerArgs {
  /** Client ends to every server, indexed by server (the course's `servers`). */
  readonly peers: readonly ClientEnd[];
  readonly me: number;
  /** Restore from it, persist to it. */
  readonly persister: Persister;
  /** Snapshot when the persisted Raft state nears this many bytes; -1 never. */
  readonly maxRaftState: number;
  /** Virtual time: use it for every timer. */
  readonly clock: Clock;
  /** The only randomness a server may use, so runs replay from their seed. */
  readonly random: Random;
  readonly tracer?: Tracer;
  /** Call with an error that stopped the server: the scenario fails at its next check. */
  readonly onFatal: (error: unknown) => void;
}

/** Makes the server under test (the course's `StartKVServer`). */
export type KvraftPeerFactory = (args: KvraftPeerArgs) => KvraftPeer;

/** Options of a {@link KvraftHarness}. */
export interface KvraftHarnessOptions {
  /** Servers in the cluster. */
  readonly n: number;
  /** Seeds everything random: the network's faults, elections, clerk ids, workloads. */
  readonly seed: number;
  /** Start lossy (default false). */
  readonly unreliable?: boolean;
  /** The course's `maxraftstate`: snapshot near this many bytes of Raft state; -1 never. */
  readonly maxRaftState: number;
  /** Receives the simulator's, the network's, Raft's and the servers' trace events. */
  readonly tracer?: Tracer;
  /** Keeps the HTML report of a history that is not linearizable. */
  readonly artifacts?: ArtifactWriter;
  /** Names reports (default `"kvraft"`); the seed is added. */
  readonly name?: string;
  /** The server under test (default: this package's {@link KvRaftServer}). */
  readonly peerFactory?: KvraftPeerFactory;
  /** How the default servers serve Gets (ignored with `peerFactory`). Default `"read-index"`. */
  readonly reads?: KvraftReadMode;
  /** Passed to this package's servers' Raft. */
  readonly tuning?: RaftTuning;
  /**
   * Latency of the reliable network: each request waits a uniform `[0, max]` ms (default
   * {@link KV_RELIABLE_DELAY_MAX_MS}). The course's labrpc delivers at once; in virtual time
   * that would make every operation take no time at all, so a client loop would never reach the
   * end of its round and no two operations would ever overlap for the linearizability check.
   */
  readonly reliableDelayMaxMs?: number;
}

/** The reliable network's default latency bound in the kvraft harness, in ms. */
export const KV_RELIABLE_DELAY_MAX_MS = 4;

/** Options of {@link KvraftHarness.makeClient}. */
export interface MakeClientOptions {
  /** Servers the clerk can reach at first (default: all). */
  readonly to?: readonly number[];
  /** Record the clerk's operations in the history (default true). */
  readonly record?: boolean;
}

/** A recorded kvraft clerk (its append returns nothing). */
export type KvraftTestClerk = TestClerk<KvRaftClerk>;

/**
 * How the harness's servers serve Gets: Raft's ReadIndex with a heartbeat round (the server's
 * default), ReadIndex within check-quorum's lease (Raft's `readMode: "lease"`), or the log.
 */
export type KvraftReadMode = "read-index" | "lease" | "log";

/** Every {@link KvraftReadMode}, for suites that run each. */
export const KVRAFT_READ_MODES: readonly KvraftReadMode[] = ["read-index", "lease", "log"];

/**
 * The default server: this package's {@link KvRaftServer} behind the {@link KvraftPeer} face,
 * serving Gets as `reads` says (default: the server's default, ReadIndex).
 */
export function makeKvRaftPeer(tuning?: RaftTuning, reads?: KvraftReadMode): KvraftPeerFactory {
  const raftTuning: RaftTuning | undefined =
    reads === "lease" ? { ...tuning, readMode: "lease" } : tuning;
  return (args) => {
    const server = new KvRaftServer({
      peers: args.peers,
      me: args.me,
      persister: args.persister,
      maxRaftState: args.maxRaftState,
      clock: args.clock,
      random: args.random,
      onFatal: args.onFatal,
      ...(args.tracer === undefined ? {} : { tracer: args.tracer }),
      ...(raftTuning === undefined ? {} : { tuning: raftTuning }),
      ...(reads === "log" ? { reads: "log" as const } : {}),
    });
    return {
      register: (rpc) => addKvRaftService(server, rpc),
      isLeader: () => server.raft.getState().isLeader,
      kill: () => server.kill(),
    };
  };
}

/**
 * The course's kvraft test configuration (`config.go`) on the deterministic simulator: `n`
 * servers, each a key/value service over Raft on one simulated server with a `Persister` that
 * survives shutdown and restart; partitions; clerks with ends to every server; and every clerk
 * call recorded as a porcupine history in virtual milliseconds.
 *
 * Failed calls to unreachable servers fail within 0–100 ms (the course's short delays: kv tests
 * need quick failover). Any check that fails throws `ScenarioFailure` naming the seed.
 */
export class KvraftHarness extends SimulatedKvHarness {
  readonly n: number;
  readonly maxRaftState: number;
  readonly #servers: (KvraftPeer | undefined)[];
  readonly #persisters: Persister[];
  /** `#serverEnds[i][j]`: the name of server i's end to server j (fresh on every start). */
  readonly #serverEnds: string[][];
  /** `#links[i][j]`: whether i and j can talk (the course's `connected` matrix, symmetric). */
  readonly #links: boolean[][];
  readonly #clerkIds: Random;
  readonly #peerFactory: KvraftPeerFactory;
  readonly #tracer: Tracer | undefined;
  #serial = 0;
  #clerks = 0;
  #fatal: string | undefined;

  constructor(options: KvraftHarnessOptions) {
    super({
      seed: options.seed,
      tracer: options.tracer,
      artifacts: options.artifacts,
      name: options.name ?? "kvraft",
      network: {
        reliable: options.unreliable !== true,
        faults: { reliableDelayMaxMs: options.reliableDelayMaxMs ?? KV_RELIABLE_DELAY_MAX_MS },
      },
    });
    this.n = options.n;
    this.maxRaftState = options.maxRaftState;
    this.#tracer = options.tracer;
    this.#clerkIds = this.sim.random.fork("clerk ids");
    this.#peerFactory = options.peerFactory ?? makeKvRaftPeer(options.tuning, options.reads);
    this.#servers = new Array(this.n).fill(undefined);
    this.#persisters = Array.from({ length: this.n }, () => new Persister());
    this.#serverEnds = Array.from({ length: this.n }, () => []);
    this.#links = Array.from({ length: this.n }, () => new Array(this.n).fill(false));
    for (let i = 0; i < this.n; i++) this.startServer(i);
    this.connectAll();
  }

  /** Every server's index, `[0, 1, ..., n-1]`. */
  all(): number[] {
    return Array.from({ length: this.n }, (_, i) => i);
  }

  // ---------------------------------------------------------------------------------------
  // Servers

  /**
   * Starts server `i` from a copy of its persister (the course's `StartServer`), with fresh end
   * names so that nothing of an earlier instance can send. It can reach the servers it was
   * linked to before.
   */
  startServer(i: number): void {
    if (this.#servers[i] !== undefined) this.shutdownServer(i);
    const ends: ClientEnd[] = [];
    for (let j = 0; j < this.n; j++) {
      const name = `s${i}-s${j}-${this.#serial++}`;
      (this.#serverEnds[i] as string[])[j] = name;
      ends.push(this.net.makeEnd(name));
      this.net.connect(name, serverName(j));
    }
    const persister = (this.#persisters[i] as Persister).copy();
    this.#persisters[i] = persister;
    const server = this.#peerFactory({
      peers: ends,
      me: i,
      persister,
      maxRaftState: this.maxRaftState,
      clock: this.sim,
      random: this.sim.random.fork(`server-${i}-${this.#serial}`),
      ...(this.#tracer === undefined ? {} : { tracer: this.#tracer }),
      onFatal: (error) => {
        this.#fatal ??= `server ${i} stopped at ${this.sim.now()} ms: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
      },
    });
    this.#servers[i] = server;
    const rpc = new RpcServer();
    server.register(rpc);
    this.net.addServer(serverName(i), rpc);
    this.#applyLinks(i);
    this.sim.trace("harness.start", { node: String(i) });
  }

  /**
   * Shuts server `i` down (the course's `ShutdownServer`): it is cut off, deleted from the
   * network (its late replies are dropped) and killed; its persister is kept, as a copy, so
   * nothing the dead instance still does can change what a restart finds.
   */
  shutdownServer(i: number): void {
    const server = this.#servers[i];
    if (server === undefined) return;
    for (const name of this.#serverEnds[i] as string[]) this.net.enable(name, false);
    for (let j = 0; j < this.n; j++) {
      const inbound = this.#serverEnds[j]?.[i];
      if (inbound !== undefined) this.net.enable(inbound, false);
    }
    this.net.deleteServer(serverName(i));
    this.#persisters[i] = (this.#persisters[i] as Persister).copy();
    server.kill();
    this.#servers[i] = undefined;
    this.sim.trace("harness.shutdown", { node: String(i) });
  }

  /** Whether server `i` is running. */
  isRunning(i: number): boolean {
    return this.#servers[i] !== undefined;
  }

  /** The first running server that believes it is the leader (the course's `Leader()`). */
  leader(): number | undefined {
    for (let i = 0; i < this.n; i++) if (this.#servers[i]?.isLeader()) return i;
    return undefined;
  }

  // ---------------------------------------------------------------------------------------
  // Partitions

  /** Links `i` with each server in `to`, both ways. */
  connect(i: number, to: readonly number[]): void {
    for (const j of to) this.#setLink(i, j, true);
  }

  /** Cuts `i` off from each server in `from`, both ways. */
  disconnect(i: number, from: readonly number[]): void {
    for (const j of from) this.#setLink(i, j, false);
  }

  /** Every server can reach every other. */
  connectAll(): void {
    for (let i = 0; i < this.n; i++) this.connect(i, this.all());
    this.sim.trace("harness.connect-all", {});
  }

  /** Full connectivity inside `p1` and inside `p2`, none across (the course's `partition`). */
  partition(p1: readonly number[], p2: readonly number[]): void {
    for (const i of p1) {
      this.disconnect(i, p2);
      this.connect(i, p1);
    }
    for (const i of p2) {
      this.disconnect(i, p1);
      this.connect(i, p2);
    }
    this.sim.trace("harness.partition", { p1: p1.join(","), p2: p2.join(",") });
  }

  /**
   * The course's `make_partition`: a majority of `n/2 + 1` servers that excludes the current
   * leader, and a minority ending with the leader (or server 0 when there is none).
   */
  makePartition(): [number[], number[]] {
    const leader = this.leader() ?? 0;
    const others = this.all().filter((i) => i !== leader);
    const majority = others.slice(0, Math.floor(this.n / 2) + 1);
    const minority = [...others.slice(Math.floor(this.n / 2) + 1), leader];
    return [majority, minority];
  }

  #setLink(i: number, j: number, up: boolean): void {
    (this.#links[i] as boolean[])[j] = up;
    (this.#links[j] as boolean[])[i] = up;
    this.#enableLink(i, j);
    this.#enableLink(j, i);
  }

  /** Enables the ends of a (re)started server as the link matrix says. */
  #applyLinks(i: number): void {
    for (let j = 0; j < this.n; j++) {
      this.#enableLink(i, j);
      this.#enableLink(j, i);
    }
  }

  #enableLink(from: number, to: number): void {
    const name = this.#serverEnds[from]?.[to];
    if (name === undefined) return;
    const up = (this.#links[from]?.[to] ?? false) && this.isRunning(from) && this.isRunning(to);
    this.net.enable(name, up);
  }

  // ---------------------------------------------------------------------------------------
  // Clients

  /** A new clerk with an end to every server; only the servers in `to` are reachable. */
  makeClient(options: MakeClientOptions = {}): KvraftTestClerk {
    const index = this.#clerks++;
    const names = this.all().map((j) => `c${index}-s${j}`);
    const ends = names.map((name, j) => {
      const end = this.net.makeEnd(name);
      this.net.connect(name, serverName(j));
      return end;
    });
    const clerk = new KvRaftClerk(ends, { clock: this.sim, random: this.#clerkIds });
    const sink = options.record === false ? undefined : this.record;
    const ck = new TestClerk<KvRaftClerk>(index, names, clerk, this.sim, sink);
    this.connectClient(ck, options.to ?? this.all());
    return ck;
  }

  /** The course's `deleteClient`: forgets the clerk's ends. */
  deleteClient(ck: KvraftTestClerk): void {
    for (const name of ck.endNames) this.net.deleteEnd(name);
  }

  /** Lets the clerk reach exactly the servers in `to` (the course's `ConnectClient`). */
  connectClient(ck: KvraftTestClerk, to: readonly number[]): void {
    const reachable = new Set(to);
    ck.endNames.forEach((name, j) => {
      this.net.enable(name, reachable.has(j));
    });
  }

  /** Cuts the clerk off from the servers in `from`. */
  disconnectClient(ck: KvraftTestClerk, from: readonly number[]): void {
    for (const j of from) this.net.enable(ck.endNames[j] as string, false);
  }

  // ---------------------------------------------------------------------------------------
  // Sizes

  /** The largest persisted Raft state of any server, in bytes (the course's `LogSize`). */
  logSize(): number {
    return Math.max(...this.#persisters.map((p) => p.raftStateSize()));
  }

  /** The largest persisted snapshot of any server, in bytes (the course's `SnapshotSize`). */
  snapshotSize(): number {
    return Math.max(...this.#persisters.map((p) => p.snapshotSize()));
  }

  /** Stops every server and the network. */
  cleanup(): void {
    for (const server of this.#servers) server?.kill();
    this.net.cleanup();
  }

  protected override earlierFailure(): string | undefined {
    return this.#fatal;
  }
}

function serverName(i: number): string {
  return `kvserver-${i}`;
}
