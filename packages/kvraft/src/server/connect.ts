import {
  type Random,
  RealClock,
  SeededRandom,
  type TcpAddress,
  type TcpClientEnd,
  TcpTransport,
  type TcpTransportOptions,
} from "@lab/labrpc";
import { KvUsageError } from "../errors.js";
import { KvRaftClerk } from "../kvraft/clerk.js";

/** Options of {@link connectKvRaft}. */
export interface KvRaftConnectOptions {
  /**
   * Options of the TCP transport (TLS, `maxFrameBytes`, `connectTimeoutMs`, ...). Default
   * `backoff`: `{ initialMs: 20, maxMs: 500 }`, so a restarted server is used again quickly.
   */
  readonly transport?: TcpTransportOptions;
  /**
   * Each clerk's `callTimeoutMs`: how long to wait for one server before trying the next
   * (default 2000 ms, above the servers' default 1000 ms `requestTimeoutMs`, so a slow commit is
   * answered rather than abandoned).
   */
  readonly callTimeoutMs?: number;
  /** Each clerk's `retryDelayMs` (default 20 ms). */
  readonly retryDelayMs?: number;
  /** Draws clerk ids and the first server each clerk tries. Default: seeded from `crypto`. */
  readonly random?: Random;
}

const DEFAULT_CALL_TIMEOUT_MS = 2000;
const DEFAULT_BACKOFF = { initialMs: 20, maxMs: 500 } as const;

/**
 * An open connection to a kvraft cluster over TCP: one end per server, shared by every clerk it
 * makes (a clerk runs one operation at a time, so concurrent callers each take a clerk; their
 * calls share the connections).
 */
export class KvRaftConnection {
  /** One end per server, indexed like the addresses. */
  readonly ends: readonly TcpClientEnd[];
  readonly #transport: TcpTransport;
  readonly #clock = new RealClock();
  readonly #random: Random;
  readonly #callTimeoutMs: number;
  readonly #retryDelayMs: number | undefined;

  /** Use {@link connectKvRaft}. */
  constructor(addresses: readonly TcpAddress[], options: KvRaftConnectOptions = {}) {
    if (!Array.isArray(addresses) || addresses.length === 0) {
      throw new KvUsageError("connectKvRaft: addresses must list the cluster's servers");
    }
    this.#callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.#retryDelayMs = options.retryDelayMs;
    this.#random = options.random ?? new SeededRandom(randomSeed());
    const transport = new TcpTransport({ backoff: DEFAULT_BACKOFF, ...options.transport });
    this.#transport = transport;
    try {
      // Ends parse their address at once and connect on their first call.
      this.ends = addresses.map((address, i) => transport.end(address, { name: `kv-${i}` }));
      // A clerk checks its options when made: make one now, so a bad option fails here.
      this.clerk();
    } catch (error) {
      // Nothing was dialled; closing releases the ends made so far.
      void transport.close();
      throw error;
    }
  }

  /**
   * A new clerk on this connection's ends, with a random id (or `clientId`). Its operations
   * retry until they are applied; they reject with `ClerkClosedError` once the connection is
   * closed.
   */
  clerk(options: { readonly clientId?: number } = {}): KvRaftClerk {
    return new KvRaftClerk(this.ends, {
      clock: this.#clock,
      random: this.#random,
      callTimeoutMs: this.#callTimeoutMs,
      ...(this.#retryDelayMs === undefined ? {} : { retryDelayMs: this.#retryDelayMs }),
      ...(options.clientId === undefined ? {} : { clientId: options.clientId }),
    });
  }

  /** Closes every connection; operations in flight reject with `ClerkClosedError`. */
  close(): Promise<void> {
    return this.#transport.close();
  }
}

/**
 * Connects to the kvraft cluster whose servers listen at `addresses` (the list the servers were
 * started with, in any order): `connection.clerk()` makes clerks, `connection.close()` closes.
 * Throws `KvUsageError` for bad options and `RpcUsageError` for a malformed address; nothing is
 * dialled until a clerk calls.
 *
 * @example
 * const cluster = connectKvRaft(["10.0.0.1:7000", "10.0.0.2:7000", "10.0.0.3:7000"]);
 * const clerk = cluster.clerk();
 * await clerk.put("greeting", "hello");
 * console.log(await clerk.get("greeting"));
 * await cluster.close();
 */
export function connectKvRaft(
  addresses: readonly TcpAddress[],
  options: KvRaftConnectOptions = {},
): KvRaftConnection {
  return new KvRaftConnection(addresses, options);
}

function randomSeed(): number {
  return globalThis.crypto.getRandomValues(new Uint32Array(1))[0] as number;
}
