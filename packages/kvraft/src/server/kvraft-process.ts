import type { TcpAddress, TcpTransportOptions, Tracer } from "@lab/labrpc";
import { RealClock } from "@lab/labrpc";
import type { RaftTuning, Storage } from "@lab/raft";
import { DiskStorage, type DiskStorageOptions } from "@lab/raft/disk";
import { RaftServer, type RecoveredState } from "@lab/raft/server";
import { KvError, KvUsageError } from "../errors.js";
import { KvOp } from "../kvraft/op.js";
import { addKvService } from "../kvraft/serve.js";
import { type KvRaftHooks, KvRaftServer } from "../kvraft/server.js";

/** Options of {@link startKvRaftServer}. */
export interface KvRaftProcessOptions {
  /** This server's index in `addresses`. */
  readonly id: number;
  /**
   * Every server of the cluster, indexed by id (`"host:port"`, IPv6 as `"[::1]:port"`, or
   * `{ host, port }`); the same list on every server. This server listens on `addresses[id]`
   * (unless `listen` says otherwise) and serves both Raft and `KVServer` there.
   */
  readonly addresses: readonly TcpAddress[];
  /**
   * Directory of the server's `DiskStorage` (created when missing). Restart a server on the same
   * directory: it recovers its Raft log and snapshot, and with them the key/value state. Give
   * either `dir` or `storage`.
   */
  readonly dir?: string;
  /** Options of the `DiskStorage` opened on `dir` (`fsync: false` for benchmarks only). */
  readonly diskOptions?: DiskStorageOptions;
  /**
   * Any other Raft `Storage` instead of `dir` (for example a `MemoryStorage`: nothing survives
   * the process). It belongs to the caller: `close()` leaves it open.
   */
  readonly storage?: Storage;
  /**
   * Snapshot once the persisted Raft state nears this many bytes (the course's `maxraftstate`);
   * `-1` never snapshots. Default 4 MiB.
   */
  readonly maxRaftState?: number;
  /** Interface and port to listen on, when they differ from `addresses[id]`. */
  readonly listen?: { readonly host?: string; readonly port?: number };
  /**
   * Options of the TCP transport, shared by the Raft ends and the server: TLS,
   * `maxFrameBytes`, `backoff`, and `onError`, which hears of every malformed or oversized
   * frame a connection sent (the connection is closed; the server keeps serving the others).
   */
  readonly transport?: TcpTransportOptions;
  /** Give up on a Raft call to a peer after this long (default 1000 ms). */
  readonly rpcTimeoutMs?: number;
  /** See `KvRaftServerOptions.requestTimeoutMs` (default 1000 ms). */
  readonly requestTimeoutMs?: number;
  /** See `KvRaftServerOptions.leadershipCheckMs` (default 50 ms). */
  readonly leadershipCheckMs?: number;
  /** Length of a Raft tick (default 10 ms). */
  readonly tickMs?: number;
  readonly tuning?: RaftTuning;
  /** Receives Raft's and the key/value server's trace events. */
  readonly tracer?: Tracer;
  /** Called with an error that stopped the server (a failed storage, a bug). */
  readonly onFatal?: (error: unknown) => void;
}

/** Default `maxRaftState`: large enough that snapshots are rare, small enough to restart fast. */
export const DEFAULT_MAX_RAFT_STATE = 4 * 1024 * 1024;

/**
 * One kvraft server as a process-level server: a {@link KvRaftServer} on a `RaftServer` (from
 * `@lab/raft/server`) with a durable `DiskStorage`, serving the `Raft` and `KVServer` services on
 * one TCP port, on a real clock. Made by {@link startKvRaftServer}.
 */
export class KvRaftProcess {
  /** This server's id. */
  readonly id: number;
  /** The bound `host:port`. */
  readonly address: string;
  /** The key/value server (its `stats()`, `peek(key)`, `raft`). */
  readonly kv: KvRaftServer;
  /** The Raft peer underneath, as a process-level server. */
  readonly raftServer: RaftServer<KvOp>;
  /** What the storage held when the server started: a restarted server has a log here. */
  readonly recovered: RecoveredState;
  readonly #ownedStorage: DiskStorage | undefined;
  #closing: Promise<void> | undefined;

  private constructor(
    id: number,
    kv: KvRaftServer,
    raftServer: RaftServer<KvOp>,
    ownedStorage: DiskStorage | undefined,
  ) {
    this.id = id;
    this.kv = kv;
    this.raftServer = raftServer;
    this.address = raftServer.address;
    this.recovered = raftServer.recovered;
    this.#ownedStorage = ownedStorage;
  }

  /** See {@link startKvRaftServer}. */
  static async start(options: KvRaftProcessOptions): Promise<KvRaftProcess> {
    if (typeof options !== "object" || options === null) {
      throw new KvUsageError("startKvRaftServer needs an options object");
    }
    if ((options.dir === undefined) === (options.storage === undefined)) {
      throw new KvUsageError(
        "startKvRaftServer: give either dir (a DiskStorage directory) or storage",
      );
    }
    if (options.dir !== undefined && (typeof options.dir !== "string" || options.dir === "")) {
      throw new KvUsageError("startKvRaftServer: dir must be a non-empty path");
    }
    const maxRaftState = options.maxRaftState ?? DEFAULT_MAX_RAFT_STATE;
    // The server snapshots by the size of this storage, so it is opened here, not by RaftServer.
    const owned =
      options.dir === undefined
        ? undefined
        : await DiskStorage.open(options.dir, options.diskOptions);
    const storage = (owned ?? options.storage) as Storage;
    const clock = new RealClock();
    // Filled in by the services hook, inside RaftServer.open (a holder: the compiler does not
    // follow assignments made in callbacks).
    const attached: { kv?: KvRaftServer; hooks?: KvRaftHooks } = {};
    try {
      const raftServer = await RaftServer.open<KvOp>({
        id: options.id,
        addresses: options.addresses,
        storage,
        codec: KvOp,
        clock,
        apply: (message) => {
          // The services hook attaches the server before Raft's first pump can deliver anything.
          if (attached.hooks === undefined) {
            throw new KvError("kvraft: Raft delivered a message before its server was attached");
          }
          attached.hooks.apply(message);
        },
        onFatal: (error) => {
          if (attached.hooks !== undefined) attached.hooks.fatal(error);
          else options.onFatal?.(error);
        },
        services: (rpc, raft) => {
          const kv = new KvRaftServer({
            me: options.id,
            maxRaftState,
            clock,
            storage,
            raft: (hooks) => {
              attached.hooks = hooks;
              return raft;
            },
            ...defined("requestTimeoutMs", options.requestTimeoutMs),
            ...defined("leadershipCheckMs", options.leadershipCheckMs),
            ...defined("tracer", options.tracer),
            ...defined("onFatal", options.onFatal),
          });
          attached.kv = kv;
          addKvService(kv, rpc);
        },
        ...defined("listen", options.listen),
        ...defined("transport", options.transport),
        ...defined("rpcTimeoutMs", options.rpcTimeoutMs),
        ...defined("tickMs", options.tickMs),
        ...defined("tuning", options.tuning),
        ...defined("tracer", options.tracer),
      });
      if (attached.kv === undefined) {
        await raftServer.close();
        throw new KvError("kvraft: RaftServer opened without calling its services hook");
      }
      return new KvRaftProcess(options.id, attached.kv, raftServer, owned);
    } catch (error) {
      attached.kv?.kill();
      await owned?.close().catch(() => {});
      throw error;
    }
  }

  /** Whether this server's Raft peer believes it leads. */
  isLeader(): boolean {
    return this.kv.raft.getState().isLeader;
  }

  /** Whether `close()` was called, or the server stopped on a fatal error. */
  get closed(): boolean {
    return this.#closing !== undefined || this.kv.killed;
  }

  /**
   * Stops the server: operations still waiting answer `ErrWrongLeader` (their clerks retry
   * elsewhere), sockets close, writes in flight finish, the directory is unlocked. Calling it
   * again returns the same promise.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.kv.kill();
      await this.raftServer.close();
      await this.#ownedStorage?.close();
    })();
    return this.#closing;
  }
}

/**
 * Starts one kvraft server of a cluster over TCP, with durable storage: opens (or recovers) the
 * `DiskStorage` in `dir`, starts its Raft peer, and serves `Raft.*` and `KVServer.*` on
 * `addresses[id]`. Run one per process (or machine) with the same `addresses` everywhere; kill
 * one at any moment and start it again on its directory: it recovers its snapshot and log and
 * catches up. Reach the cluster with `connectKvRaft(addresses)`.
 *
 * Rejects with `KvUsageError` or `RaftUsageError` for malformed options, with the storage's
 * errors (`StorageDirectoryError` for a directory that is not a storage's or is held by another
 * process, `WalCorruptError` for a damaged log), and with the listen error (`EADDRINUSE`); in
 * every case nothing is left running and the directory is unlocked.
 */
export function startKvRaftServer(options: KvRaftProcessOptions): Promise<KvRaftProcess> {
  return KvRaftProcess.start(options);
}

/** `{ [key]: value }` when value is defined, else `{}` (for exactOptionalPropertyTypes). */
function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
