import type { CallOptions, CallResult, ClientEnd, NoReplyReason } from "../client-end.js";
import type { Clock, Timer } from "../clock.js";
import { RpcUsageError } from "../errors.js";
import type { MethodDescriptor } from "../method.js";
import type { RpcServer } from "../rpc-server.js";
import { RealClock } from "../runtime/real-clock.js";

const OWNED = Object.freeze({ owned: true });

/** How a {@link LocalTransport} hands a request to the server and the reply back. */
export type LocalDelivery = "macrotask" | "microtask";

/** Options of a {@link LocalTransport}. */
export interface LocalTransportOptions {
  /** Measures `timeoutMs` of calls (default: a {@link RealClock}). */
  readonly clock?: Clock;
  /**
   * `"macrotask"` (default) crosses each direction on `setImmediate`, so timers and I/O run
   * between messages as they would with a real network; `"microtask"` crosses on the microtask
   * queue: lowest latency, but a busy exchange can starve timers (use it for measurements).
   */
  readonly delivery?: LocalDelivery;
}

/** Counters of a {@link LocalTransport}, for benchmarks and tests. */
export interface LocalTransportStats {
  /** Calls whose request reached a server. */
  readonly calls: number;
  /** Encoded request plus reply bytes that crossed. */
  readonly bytes: number;
}

/** A server registered on a {@link LocalTransport}. */
export interface LocalServer {
  readonly name: string;
  /** Crashes the server: calls in flight and later calls resolve `server-killed`/`unreachable`. */
  close(): void;
}

interface Registration {
  readonly rpc: RpcServer;
  alive: boolean;
  /** Ends the calls this server is serving, when it is closed: their replies never come. */
  readonly inFlight: Set<(reason: NoReplyReason) => void>;
}

function kill(registration: Registration, reason: NoReplyReason): void {
  registration.alive = false;
  for (const abandon of registration.inFlight) abandon(reason);
  registration.inFlight.clear();
}

/**
 * The transport contract inside one process, with no simulator and no sockets: servers are
 * registered under a name, ends call them by name. Requests and replies are encoded with their
 * method's codec exactly as over TCP (so byte counts are real and nothing is shared between
 * caller and server); only the wire is missing. For benchmarks and embedding several peers in
 * one process.
 *
 * @example
 * const transport = new LocalTransport();
 * transport.serve("kv-0", rpcServer);
 * const result = await transport.end("kv-0").call(Kv.methods.Get, { key: "a" });
 */
export class LocalTransport {
  readonly #clock: Clock;
  readonly #delivery: LocalDelivery;
  readonly #servers = new Map<string, Registration>();
  #closed = false;
  #calls = 0;
  #bytes = 0;

  constructor(options: LocalTransportOptions = {}) {
    this.#clock = options.clock ?? new RealClock();
    this.#delivery = options.delivery ?? "macrotask";
  }

  /** Registers `rpc` under `name`; a name can be served again once its server is closed. */
  serve(name: string, rpc: RpcServer): LocalServer {
    if (this.#closed) throw new RpcUsageError("the local transport is closed");
    const current = this.#servers.get(name);
    if (current?.alive === true) {
      throw new RpcUsageError(`a server named "${name}" is already served`);
    }
    const registration: Registration = { rpc, alive: true, inFlight: new Set() };
    this.#servers.set(name, registration);
    return {
      name,
      close: () => {
        kill(registration, "server-killed");
        if (this.#servers.get(name) === registration) this.#servers.delete(name);
      },
    };
  }

  /** An end addressing the server named `server` (it need not be served yet). */
  end(server: string, name = `local-end->${server}`): ClientEnd {
    return {
      name,
      call: (method, args, options) => this.#call(server, method, args, options),
    };
  }

  get stats(): LocalTransportStats {
    return { calls: this.#calls, bytes: this.#bytes };
  }

  /** Closes every server; later calls resolve `closed`. */
  close(): void {
    this.#closed = true;
    for (const registration of this.#servers.values()) kill(registration, "closed");
    this.#servers.clear();
  }

  #call<Req, Rep>(
    server: string,
    method: MethodDescriptor<Req, Rep>,
    args: Req,
    options: CallOptions | undefined,
  ): Promise<CallResult<Rep>> {
    // Encoding errors are the caller's bug: reject before anything is sent.
    let request: Uint8Array;
    try {
      request = method.request.encode(args);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<CallResult<Rep>>((resolve, reject) => {
      let settled = false;
      let timer: Timer | undefined;
      let registration: Registration | undefined;
      const finish = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        timer?.cancel();
        registration?.inFlight.delete(noReply);
        outcome();
      };
      const noReply = (reason: NoReplyReason) => finish(() => resolve({ ok: false, reason }));
      const timeoutMs = options?.timeoutMs;
      if (timeoutMs !== undefined) {
        timer = this.#clock.setTimer(timeoutMs, () => noReply("timeout"));
      }
      this.#hop(() => {
        if (settled) return;
        if (this.#closed) return noReply("closed");
        registration = this.#servers.get(server);
        if (registration === undefined || !registration.alive) return noReply("unreachable");
        const served = registration;
        this.#calls++;
        this.#bytes += request.length;
        served.inFlight.add(noReply);
        // The request was encoded for this call alone: the handler may keep views of it.
        served.rpc.dispatch(method.fullName, request, undefined, OWNED).then(
          (reply) =>
            this.#hop(() => {
              if (!served.alive) return noReply("server-killed");
              this.#bytes += reply.length;
              let decoded: Rep;
              try {
                decoded = method.reply.decode(reply);
              } catch (error) {
                return finish(() => reject(error));
              }
              finish(() => resolve({ ok: true, reply: decoded }));
            }),
          (error: unknown) =>
            this.#hop(() => {
              if (!served.alive) return noReply("server-killed");
              finish(() => reject(error));
            }),
        );
      });
    });
  }

  #hop(step: () => void): void {
    if (this.#delivery === "microtask") queueMicrotask(step);
    else setImmediate(step);
  }
}
