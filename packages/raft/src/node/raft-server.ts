import type { Codec, Value } from "@lab/labgob";
import {
  type Clock,
  type HostPort,
  type Random,
  RealClock,
  RpcServer,
  SeededRandom,
  type TcpAddress,
  type TcpClientEnd,
  TcpTransport,
  type TcpTransportOptions,
  type Tracer,
} from "@lab/labrpc";
import type { Configuration } from "../core/configuration.js";
import { RaftUsageError } from "../core/errors.js";
import type { RaftStatus } from "../core/raft-core.js";
import type { PeerId } from "../core/types.js";
import { DiskStorage, type DiskStorageOptions } from "../disk/disk-storage.js";
import type { Storage } from "../storage/storage.js";
import type { ApplyMsg } from "./apply-msg.js";
import { makeRaft, type Raft } from "./make-raft.js";
import type { RaftTuning } from "./raft-node.js";
import type {
  ReadIndexOptions,
  ReadIndexResult,
  TransferLeadershipResult,
} from "./read-and-transfer.js";

/** Options of {@link RaftServer.open}. */
export interface RaftServerOptions<Command = Value> {
  /** This peer's index in `addresses`. */
  readonly id: PeerId;
  /**
   * Where every peer of the cluster is reached, indexed by peer id (`"host:port"`, IPv6 as
   * `"[::1]:port"`, or `{ host, port }`); this peer listens on `addresses[id]` unless `listen`
   * says otherwise. Every peer must be given the same list.
   */
  readonly addresses: readonly TcpAddress[];
  /**
   * Membership change: the configuration the cluster starts with (default: every peer of
   * `addresses` a voter). A peer joining a running cluster passes `EMPTY_CONFIGURATION` and
   * is then added by the leader (`raft.addVoter(id)`).
   */
  readonly initialConfiguration?: Configuration;
  /**
   * Membership change: the address of a peer beyond `addresses` (one added later), asked once
   * per peer id when Raft first needs to reach it.
   */
  readonly resolveAddress?: (id: PeerId) => TcpAddress | undefined;
  /**
   * Directory of this peer's {@link DiskStorage} (created when missing). A restarted peer
   * passes the same directory and recovers its term, vote, log and snapshot from it. Give
   * either `dir` or `storage`.
   */
  readonly dir?: string;
  /** Options of the {@link DiskStorage} opened on `dir`. */
  readonly diskOptions?: DiskStorageOptions;
  /**
   * Any other {@link Storage}, instead of `dir`. It belongs to the caller: `close()` does not
   * close it.
   */
  readonly storage?: Storage;
  /**
   * Receives committed commands and snapshots in log order, exactly once each per process; the
   * next message waits for a returned promise. After a restart the log is applied again from
   * the persisted snapshot (or from index 1), since the service's state lives in memory.
   */
  readonly apply: (message: ApplyMsg<Command>) => void | Promise<void>;
  /** How commands become log bytes. Default: labgob's value codec (any JSON-like value). */
  readonly codec?: Codec<Command>;
  /**
   * Interface and port to listen on, when they differ from `addresses[id]` (for example
   * `{ host: "0.0.0.0" }` to accept peers from other machines while they dial a public address).
   */
  readonly listen?: { readonly host?: string; readonly port?: number };
  /** Give up on a call to a peer after this long (default 1000 ms; Raft retries on its own). */
  readonly rpcTimeoutMs?: number;
  /**
   * Options of the TCP transport (TLS, `maxFrameBytes`, `connectTimeoutMs`, `closeGraceMs`,
   * `onError`, ...). Default `backoff`: `{ initialMs: 50, maxMs: 1000 }`, so a restarted peer
   * is reconnected to within a second.
   */
  readonly transport?: TcpTransportOptions;
  /** Default: a {@link RealClock}. */
  readonly clock?: Clock;
  /** Election timeouts are drawn from it. Default: a `SeededRandom` seeded from `crypto`. */
  readonly random?: Random;
  readonly tracer?: Tracer;
  /** Length of a tick in milliseconds (default 10): see `RaftNodeOptions.tickMs`. */
  readonly tickMs?: number;
  readonly tuning?: RaftTuning;
  /** Called with an error that stopped the peer (a bug or a failed storage). */
  readonly onFatal?: (error: unknown) => void;
  /**
   * Registers more services on the peer's `RpcServer`, beside `Raft` (typically the service
   * whose commands the log replicates, so its clients reach it on the same port). Called once,
   * with the new peer, before the server listens: no call can reach a service before it is
   * registered. If it throws, `open` rejects with that error and nothing is left running.
   */
  readonly services?: (rpc: RpcServer, raft: Raft<Command>) => void;
}

/** What a {@link RaftServer} found in its storage when it opened. */
export interface RecoveredState {
  readonly term: number;
  readonly votedFor: PeerId | null;
  readonly commit: number;
  /** Index of the persisted snapshot (0 when there is none). */
  readonly snapshotIndex: number;
  /** Index of the last persisted log entry (`snapshotIndex` when the log after it is empty). */
  readonly lastIndex: number;
}

const DEFAULT_RPC_TIMEOUT_MS = 1000;
const DEFAULT_BACKOFF = { initialMs: 50, maxMs: 1000 } as const;

/**
 * One Raft peer as a process-level server: a {@link Raft} on a durable {@link DiskStorage},
 * talking to the other peers over TCP (`TcpClientEnd`s from `@lab/labrpc`, one per peer, with a
 * call timeout) and serving its own RPCs with a `TcpServer`, on a {@link RealClock}.
 *
 * Start one per process (or per machine) with the same `addresses` everywhere; kill a process
 * at any moment and start it again on the same directory: it recovers what it persisted and
 * the leader brings it up to date.
 *
 * @example
 * const server = await RaftServer.open({
 *   id: 0,
 *   addresses: ["127.0.0.1:7000", "127.0.0.1:7001", "127.0.0.1:7002"],
 *   dir: "/var/lib/my-service/raft-0",
 *   codec: codecs.string,
 *   apply: (msg) => { if (msg.commandValid) console.log(msg.commandIndex, msg.command); },
 * });
 * if (server.getState().isLeader) server.start("x=1");
 * await server.close();
 */
export class RaftServer<Command = Value> {
  /** This peer's id. */
  readonly id: PeerId;
  /** The address the server listens on, `host:port` (the real port when asked for port 0). */
  readonly address: string;
  /** The peer itself, with the course's API. */
  readonly raft: Raft<Command>;
  /** The storage the peer persists to (the {@link DiskStorage} on `dir`, or the one given). */
  readonly storage: Storage;
  /** What the storage held when the server opened, before any new message arrived. */
  readonly recovered: RecoveredState;
  readonly #transport: TcpTransport;
  readonly #ownsStorage: boolean;
  #closing: Promise<void> | undefined;

  private constructor(parts: {
    id: PeerId;
    address: string;
    raft: Raft<Command>;
    storage: Storage;
    recovered: RecoveredState;
    transport: TcpTransport;
    ownsStorage: boolean;
  }) {
    this.id = parts.id;
    this.address = parts.address;
    this.raft = parts.raft;
    this.storage = parts.storage;
    this.recovered = parts.recovered;
    this.#transport = parts.transport;
    this.#ownsStorage = parts.ownsStorage;
  }

  /**
   * Opens the storage (recovering what it holds), starts the peer and listens for its peers'
   * RPCs. Rejects with `RaftUsageError` for malformed options, with the storage's errors
   * (`StorageDirectoryError`, `WalCorruptError`, ...) when it cannot be opened, and with the
   * listen error (`EADDRINUSE`, ...) when the port cannot be bound; in every case nothing is
   * left running and the directory is unlocked.
   */
  static async open<Command = Value>(
    options: RaftServerOptions<Command>,
  ): Promise<RaftServer<Command>> {
    validate(options);
    const transport = new TcpTransport({ backoff: DEFAULT_BACKOFF, ...options.transport });
    let ends: (TcpClientEnd | undefined)[];
    let self: HostPort;
    try {
      // An end per peer parses and checks its address; ends connect on their first call only.
      const all = options.addresses.map((address, j) =>
        transport.end(address, { name: `raft-${j}` }),
      );
      checkDistinct(options.addresses, all);
      self = (all[options.id] as TcpClientEnd).address;
      ends = all.map((end, j) => (j === options.id ? undefined : end));
    } catch (error) {
      await transport.close();
      throw error;
    }

    const ownsStorage = options.storage === undefined;
    let storage: Storage;
    try {
      storage =
        options.storage ?? (await DiskStorage.open(options.dir as string, options.diskOptions));
    } catch (error) {
      await transport.close();
      throw error;
    }
    const recovered = recoveredState(storage);

    let raft: Raft<Command> | undefined;
    try {
      raft = makeRaft<Command>({
        peers: ends,
        me: options.id,
        persister: storage,
        apply: options.apply,
        clock: options.clock ?? new RealClock(),
        random: options.random ?? new SeededRandom(randomSeed()),
        rpcTimeoutMs: options.rpcTimeoutMs ?? DEFAULT_RPC_TIMEOUT_MS,
        ...(options.codec !== undefined ? { codec: options.codec } : {}),
        ...(options.tracer !== undefined ? { tracer: options.tracer } : {}),
        ...(options.tickMs !== undefined ? { tickMs: options.tickMs } : {}),
        ...(options.tuning !== undefined ? { tuning: options.tuning } : {}),
        ...(options.onFatal !== undefined ? { onFatal: options.onFatal } : {}),
        ...(options.initialConfiguration !== undefined
          ? { initialConfiguration: options.initialConfiguration }
          : {}),
        ...(options.resolveAddress !== undefined
          ? { resolvePeer: resolveEnd(transport, options.resolveAddress) }
          : {}),
      });
      const rpc = new RpcServer();
      raft.register(rpc);
      options.services?.(rpc, raft);
      const server = await transport.serve(rpc, {
        host: options.listen?.host ?? self.host,
        port: options.listen?.port ?? self.port,
      });
      return new RaftServer<Command>({
        id: options.id,
        address: server.url,
        raft,
        storage,
        recovered,
        transport,
        ownsStorage,
      });
    } catch (error) {
      raft?.kill();
      await transport.close();
      if (ownsStorage) await (storage as DiskStorage).close().catch(() => {});
      throw error;
    }
  }

  /**
   * The course's `Start`: proposes `command` if this peer is the leader. Returns at once with
   * the index the command will have if committed, the term, and whether this peer is the
   * leader (when it is not, nothing was proposed: ask another peer).
   */
  start(command: Command): { index: number; term: number; isLeader: boolean } {
    return this.raft.start(command);
  }

  /** The course's `GetState`: the current term and whether this peer believes it leads. */
  getState(): { term: number; isLeader: boolean } {
    return this.raft.getState();
  }

  /**
   * A linearizable read without a log entry (ReadIndex): on the leader, resolves with the index
   * the service must have applied before serving the read; see `RaftNode.readIndex`.
   */
  readIndex(options?: ReadIndexOptions): Promise<ReadIndexResult> {
    return this.raft.readIndex(options);
  }

  /** Hands leadership to peer `to`; see `RaftNode.transferLeadership`. */
  transferLeadership(to: PeerId): Promise<TransferLeadershipResult> {
    return this.raft.transferLeadership(to);
  }

  /** Role, term, leader, commit and applied indexes, log bounds. */
  status(): RaftStatus {
    return this.raft.node.status();
  }

  /** The course's `Snapshot`: the service's state covers the log up to `index`. */
  snapshot(index: number, data: Uint8Array): void {
    this.raft.snapshot(index, data);
  }

  /** Whether `close()` was called, or the peer stopped on a fatal error. */
  get closed(): boolean {
    return this.#closing !== undefined || this.raft.killed;
  }

  /**
   * Stops the peer (no more ticks, sends or applies), closes its connections and its listening
   * socket, then waits for writes in flight and closes the storage it opened, unlocking the
   * directory. Calling it again returns the same promise.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.raft.kill();
      await this.#transport.close();
      if (this.#ownsStorage) await (this.storage as DiskStorage).close();
    })();
    return this.#closing;
  }
}

function validate<Command>(options: RaftServerOptions<Command>): void {
  const { id, addresses } = options;
  if (!Array.isArray(addresses) || addresses.length === 0) {
    throw new RaftUsageError("RaftServer: addresses must list every peer, this one included");
  }
  if (!Number.isInteger(id) || id < 0 || id >= addresses.length) {
    throw new RaftUsageError(
      `RaftServer: id ${String(id)} is not an index of addresses (0..${addresses.length - 1})`,
    );
  }
  if ((options.dir === undefined) === (options.storage === undefined)) {
    throw new RaftUsageError("RaftServer: give either dir (a DiskStorage directory) or storage");
  }
  if (options.dir !== undefined && (typeof options.dir !== "string" || options.dir === "")) {
    throw new RaftUsageError("RaftServer: dir must be a non-empty path");
  }
  if (typeof options.apply !== "function") {
    throw new RaftUsageError("RaftServer: apply must be a function");
  }
  if (options.services !== undefined && typeof options.services !== "function") {
    throw new RaftUsageError("RaftServer: services must be a function");
  }
  const timeout = options.rpcTimeoutMs;
  if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0)) {
    throw new RaftUsageError(`RaftServer: rpcTimeoutMs must be > 0, got ${String(timeout)}`);
  }
}

/** An end for a peer added later, from its address; a bad address is reported, not thrown. */
function resolveEnd(
  transport: TcpTransport,
  resolve: (id: PeerId) => TcpAddress | undefined,
): (id: PeerId) => TcpClientEnd | undefined {
  return (id) => {
    const address = resolve(id);
    if (address === undefined) return undefined;
    try {
      return transport.end(address, { name: `raft-${id}` });
    } catch (error) {
      // A typo in an address must not stop the peer: it just cannot reach that one.
      console.error(`RaftServer: no end for peer ${id} at ${JSON.stringify(address)}:`, error);
      return undefined;
    }
  };
}

/** Two peers at one address would be one process talking to itself: refuse it. */
function checkDistinct(addresses: readonly TcpAddress[], ends: readonly TcpClientEnd[]): void {
  const seen = new Map<string, number>();
  ends.forEach((end, j) => {
    const key = `${end.address.host}:${end.address.port}`;
    const other = seen.get(key);
    if (other !== undefined) {
      throw new RaftUsageError(
        `RaftServer: peers ${other} and ${j} have the same address ${JSON.stringify(addresses[j])}`,
      );
    }
    seen.set(key, j);
  });
}

function recoveredState(storage: Storage): RecoveredState {
  const { hardState, snapshot, entries } = storage.initialState();
  const snapshotIndex = snapshot?.meta.index ?? 0;
  return {
    term: hardState.term,
    votedFor: hardState.votedFor,
    commit: hardState.commit,
    snapshotIndex,
    lastIndex: entries.length > 0 ? (entries[entries.length - 1]?.index ?? 0) : snapshotIndex,
  };
}

function randomSeed(): number {
  return globalThis.crypto.getRandomValues(new Uint32Array(1))[0] as number;
}
