import type { CallOptions, ClientEnd, Clock, MethodDescriptor, Random } from "@lab/labrpc";
import { clerkSettings } from "../clerk-options.js";
import { ClerkBusyError, ClerkClosedError } from "../errors.js";
import { checkText } from "./check-text.js";
import { KvsrvService } from "./messages.js";

/** Options of a {@link Clerk}. */
export interface ClerkOptions {
  /** Paces retries; the simulator in tests, a `RealClock` in production. */
  readonly clock: Clock;
  /** Draws the clerk's random id; needed unless `clientId` is given. */
  readonly random?: Random;
  /** A fixed clerk id (a non-negative safe integer) instead of a random one. */
  readonly clientId?: number;
  /** Pause before retrying a call that got no reply (default 10 ms; 0 retries at once). */
  readonly retryDelayMs?: number;
  /**
   * Give up waiting for one reply after this long and retry (default: wait for the transport to
   * answer, which the simulated network always does). Set it over TCP.
   */
  readonly callTimeoutMs?: number;
}

/** Calls and retries a clerk has made. */
export interface ClerkStats {
  /** RPCs sent, retries included. */
  readonly calls: number;
  /** RPCs that got no reply and were sent again. */
  readonly retries: number;
}

const DEFAULT_RETRY_DELAY_MS = 10;

/**
 * The client of a kvsrv server (the course's `Clerk`): `get`, `put` and `append` keep calling
 * until the server answers, so they never fail because of the network. Each operation carries
 * the clerk's id and a sequence number that its retries repeat, so the server executes every Put
 * and Append at most once.
 *
 * A clerk runs one operation at a time (starting another throws {@link ClerkBusyError}): each
 * request tells the server that the clerk saw the reply to the previous one, which is what lets
 * the server forget it. Use several clerks for concurrent callers.
 */
export class Clerk {
  /** The id the server knows this clerk by. */
  readonly clientId: number;
  readonly #end: ClientEnd;
  readonly #clock: Clock;
  readonly #retryDelayMs: number;
  readonly #callOptions: CallOptions;
  #seq = 0;
  #pending: string | undefined;
  #calls = 0;
  #retries = 0;

  constructor(end: ClientEnd, options: ClerkOptions) {
    this.#end = end;
    this.#clock = options.clock;
    const settings = clerkSettings("Clerk", options, DEFAULT_RETRY_DELAY_MS);
    this.clientId = settings.clientId;
    this.#retryDelayMs = settings.retryDelayMs;
    this.#callOptions = settings.callOptions;
  }

  /** The value of `key` (`""` if it was never written). */
  async get(key: string): Promise<string> {
    checkText("key", key);
    const reply = await this.#call("get", KvsrvService.methods.Get, (seq) => ({
      key,
      clientId: this.clientId,
      seq,
    }));
    return reply.value;
  }

  /** Sets `key` to `value`; executed once, however many retries it takes. */
  async put(key: string, value: string): Promise<void> {
    checkText("key", key);
    checkText("value", value);
    await this.#call("put", KvsrvService.methods.Put, (seq) => ({
      key,
      value,
      clientId: this.clientId,
      seq,
    }));
  }

  /**
   * Appends `arg` to the value of `key`, executed once however many retries it takes, and
   * resolves to the value the key held just before.
   */
  async append(key: string, arg: string): Promise<string> {
    checkText("key", key);
    checkText("arg", arg);
    const reply = await this.#call("append", KvsrvService.methods.Append, (seq) => ({
      key,
      value: arg,
      clientId: this.clientId,
      seq,
    }));
    return reply.value;
  }

  /** Calls and retries so far. */
  get stats(): ClerkStats {
    return { calls: this.#calls, retries: this.#retries };
  }

  async #call<Req, Rep>(
    operation: string,
    method: MethodDescriptor<Req, Rep>,
    request: (seq: number) => Req,
  ): Promise<Rep> {
    if (this.#pending !== undefined) throw new ClerkBusyError(operation, this.#pending);
    this.#pending = operation;
    // Every operation, Gets included, gets the next number: the server reads a request numbered
    // n as proof that the clerk saw the replies to 1..n-1.
    const args = request(++this.#seq);
    try {
      for (;;) {
        this.#calls++;
        const result = await this.#end.call(method, args, this.#callOptions);
        if (result.ok) return result.reply;
        if (result.reason === "closed") throw new ClerkClosedError(operation, this.#end.name);
        this.#retries++;
        if (this.#retryDelayMs > 0) await this.#clock.sleep(this.#retryDelayMs);
      }
    } finally {
      this.#pending = undefined;
    }
  }
}

/** The course's `MakeClerk(end)`: a {@link Clerk} on `end`. */
export function makeClerk(end: ClientEnd, options: ClerkOptions): Clerk {
  return new Clerk(end, options);
}
