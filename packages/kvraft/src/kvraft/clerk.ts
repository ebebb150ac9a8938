import type { CallOptions, ClientEnd, Clock, MethodDescriptor, Random } from "@lab/labrpc";
import { clerkSettings } from "../clerk-options.js";
import { ClerkBusyError, ClerkClosedError, KvUsageError } from "../errors.js";
import { checkText } from "../kvsrv/check-text.js";
import { type KvErr, KvRaftService } from "./messages.js";

/** Options of a {@link KvRaftClerk}. */
export interface KvRaftClerkOptions {
  /** Paces retries; the simulator in tests, a `RealClock` in production. */
  readonly clock: Clock;
  /** Draws the clerk's random id and the first server it tries; needed unless `clientId` is given. */
  readonly random?: Random;
  /** A fixed clerk id (a non-negative safe integer) instead of a random one. */
  readonly clientId?: number;
  /**
   * Pause after asking every server once without finding a leader that could answer (default
   * 20 ms): during an election nobody can, and asking again at once only adds load.
   */
  readonly retryDelayMs?: number;
  /**
   * Give up waiting for one reply after this long and try the next server (default: wait for the
   * transport to answer, which the simulated network always does). Set it over TCP.
   */
  readonly callTimeoutMs?: number;
}

/** Calls a clerk has made. */
export interface KvRaftClerkStats {
  /** RPCs sent, retries included. */
  readonly calls: number;
  /** Calls answered by a server that was not (or no longer) the leader, or not in time. */
  readonly redirects: number;
  /** Calls that got no reply at all. */
  readonly lost: number;
}

const DEFAULT_RETRY_DELAY_MS = 20;

/**
 * The client of a kvraft cluster (the course's lab 4 `Clerk`): it finds the leader, remembers
 * it, and keeps retrying through lost messages, leader changes and partitions until the
 * operation has been applied, so `get`, `put` and `append` never fail because of the network.
 *
 * Each operation carries the clerk's id and a sequence number that its retries repeat, so the
 * cluster applies every Put and Append at most once even when a retry reaches a new leader. A
 * clerk runs one operation at a time (starting another throws {@link ClerkBusyError}); use one
 * clerk per concurrent caller.
 */
export class KvRaftClerk {
  /** The id the servers know this clerk by. */
  readonly clientId: number;
  readonly #servers: readonly ClientEnd[];
  readonly #clock: Clock;
  readonly #retryDelayMs: number;
  readonly #callOptions: CallOptions;
  #leader: number;
  #seq = 0;
  #pending: string | undefined;
  #calls = 0;
  #redirects = 0;
  #lost = 0;

  constructor(servers: readonly ClientEnd[], options: KvRaftClerkOptions) {
    if (servers.length === 0) throw new KvUsageError("a KvRaftClerk needs at least one server");
    this.#servers = [...servers];
    this.#clock = options.clock;
    const settings = clerkSettings("KvRaftClerk", options, DEFAULT_RETRY_DELAY_MS);
    this.clientId = settings.clientId;
    this.#retryDelayMs = settings.retryDelayMs;
    this.#callOptions = settings.callOptions;
    // Clerks that start at different servers spread the first round of redirects.
    this.#leader = options.random === undefined ? 0 : options.random.int(servers.length);
  }

  /** The value of `key` (`""` if it was never written), as of some moment during the call. */
  async get(key: string): Promise<string> {
    checkText("key", key);
    const reply = await this.#call("get", KvRaftService.methods.Get, (seq) => ({
      key,
      clientId: this.clientId,
      seq,
    }));
    return reply.value;
  }

  /** Sets `key` to `value`; applied once, however many retries it takes. */
  async put(key: string, value: string): Promise<void> {
    checkText("key", key);
    checkText("value", value);
    await this.#call("put", KvRaftService.methods.Put, (seq) => ({
      key,
      value,
      clientId: this.clientId,
      seq,
    }));
  }

  /** Appends `arg` to the value of `key`; applied once, however many retries it takes. */
  async append(key: string, arg: string): Promise<void> {
    checkText("key", key);
    checkText("arg", arg);
    await this.#call("append", KvRaftService.methods.Append, (seq) => ({
      key,
      value: arg,
      clientId: this.clientId,
      seq,
    }));
  }

  /** The server this clerk will try first: the last one that answered as leader. */
  get leader(): number {
    return this.#leader;
  }

  /** Calls so far. */
  get stats(): KvRaftClerkStats {
    return { calls: this.#calls, redirects: this.#redirects, lost: this.#lost };
  }

  async #call<Req, Rep extends { readonly err: KvErr }>(
    operation: string,
    method: MethodDescriptor<Req, Rep>,
    request: (seq: number) => Req,
  ): Promise<Rep> {
    if (this.#pending !== undefined) throw new ClerkBusyError(operation, this.#pending);
    this.#pending = operation;
    const args = request(++this.#seq);
    try {
      for (let attempt = 1; ; attempt++) {
        const end = this.#servers[this.#leader] as ClientEnd;
        this.#calls++;
        const result = await end.call(method, args, this.#callOptions);
        if (result.ok) {
          const err = result.reply.err;
          if (err === "OK" || err === "ErrNoKey") return result.reply;
          this.#redirects++;
        } else {
          if (result.reason === "closed") throw new ClerkClosedError(operation, end.name);
          this.#lost++;
        }
        this.#leader = (this.#leader + 1) % this.#servers.length;
        if (attempt % this.#servers.length === 0 && this.#retryDelayMs > 0) {
          await this.#clock.sleep(this.#retryDelayMs);
        }
      }
    } finally {
      this.#pending = undefined;
    }
  }
}

/** The course's `MakeClerk(servers)`: a {@link KvRaftClerk} on `servers`. */
export function makeKvRaftClerk(
  servers: readonly ClientEnd[],
  options: KvRaftClerkOptions,
): KvRaftClerk {
  return new KvRaftClerk(servers, options);
}
