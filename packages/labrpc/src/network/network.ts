import type { CallOptions, CallResult, ClientEnd, NoReplyReason } from "../client-end.js";
import { RpcUsageError } from "../errors.js";
import type { MethodDescriptor } from "../method.js";
import type { Random } from "../random.js";
import type { RpcServer } from "../rpc-server.js";
import type { Simulator } from "../sim/simulator.js";
import { courseFaultModel, type FaultModel } from "./fault-model.js";

/** Options of a simulated {@link Network}; each mode can also be switched later by its setter. */
export interface NetworkOptions {
  /** `false` for lossy mode from the start (see {@link Network.setReliable}); default `true`. */
  readonly reliable?: boolean;
  /** Calls to disabled ends or missing servers take up to 7 s to fail (default false). */
  readonly longDelays?: boolean;
  /** Replies are sometimes held back for a long time (default false). */
  readonly longReordering?: boolean;
  /** Delay and loss figures; the course's by default. */
  readonly faults?: Partial<FaultModel>;
  /** The network's random stream; by default `simulator.random.fork("network")`. */
  readonly random?: Random;
}

interface ServerEntry {
  readonly name: string;
  readonly rpc: RpcServer;
  count: number;
  readonly inFlight: Set<PendingCall>;
}

interface EndEntry {
  readonly name: string;
  enabled: boolean;
  server: string | undefined;
  readonly inFlight: Set<PendingCall>;
}

/** A call between send and completion; `finish` settles it exactly once. */
interface PendingCall {
  finish(result: CallResult<unknown> | { readonly error: unknown }): void;
}

/**
 * The simulated network of the course's labrpc, on the deterministic {@link Simulator}.
 *
 * Ends are created disabled and unconnected: `connect` binds an end to a server name and
 * `enable` lets its calls through (disabling ends is how tests partition servers). Servers are
 * added and deleted by name; deleting (crashing) a server fails its in-flight calls, and a
 * replaced server's late replies are dropped. Every request and reply crosses the network
 * encoded by its method's codecs, so byte counts are real and aliasing is impossible.
 */
export class Network {
  readonly #sim: Simulator;
  readonly #random: Random;
  readonly #faults: FaultModel;
  readonly #ends = new Map<string, EndEntry>();
  readonly #servers = new Map<string, ServerEntry>();
  #reliable: boolean;
  #longDelays: boolean;
  #longReordering: boolean;
  #totalCount = 0;
  #totalBytes = 0;
  #closed = false;

  constructor(simulator: Simulator, options: NetworkOptions = {}) {
    this.#sim = simulator;
    this.#random = options.random ?? simulator.random.fork("network");
    this.#faults = { ...courseFaultModel, ...options.faults };
    this.#reliable = options.reliable ?? true;
    this.#longDelays = options.longDelays ?? false;
    this.#longReordering = options.longReordering ?? false;
  }

  /** Creates a named client end: disabled and unconnected until `connect` and `enable`. */
  makeEnd(name: string): ClientEnd {
    if (this.#ends.has(name)) throw new RpcUsageError(`an end named "${name}" already exists`);
    this.#ends.set(name, { name, enabled: false, server: undefined, inFlight: new Set() });
    return new SimClientEnd(this, name);
  }

  /** Binds an end to a server name (the server need not exist yet). */
  connect(endName: string, serverName: string): void {
    this.#end(endName).server = serverName;
  }

  /** Lets an end's calls through, or cuts it off (its in-flight calls then get no reply). */
  enable(endName: string, enabled: boolean): void {
    const end = this.#end(endName);
    end.enabled = enabled;
    if (!enabled) this.#failAll(end.inFlight, "unreachable");
  }

  /** True when the end is enabled. */
  isEnabled(endName: string): boolean {
    return this.#end(endName).enabled;
  }

  /** Forgets an end; its in-flight and later calls resolve `closed`. */
  deleteEnd(endName: string): void {
    const end = this.#end(endName);
    this.#ends.delete(endName);
    this.#failAll(end.inFlight, "closed");
  }

  /** Adds (or replaces) the server reachable under `name`. A replaced server's calls fail. */
  addServer(name: string, server: RpcServer): void {
    const old = this.#servers.get(name);
    this.#servers.set(name, { name, rpc: server, count: 0, inFlight: new Set() });
    if (old !== undefined) this.#failAll(old.inFlight, "server-killed");
  }

  /** Crashes a server: its in-flight calls get no reply, later calls find nobody. */
  deleteServer(name: string): void {
    const old = this.#servers.get(name);
    this.#servers.delete(name);
    if (old !== undefined) this.#failAll(old.inFlight, "server-killed");
  }

  /** Lossy mode (`false`): requests jitter by up to 26 ms and 10% of requests and replies are lost. */
  setReliable(reliable: boolean): void {
    this.#reliable = reliable;
  }

  /** Whether the network is in reliable mode (`true`) or lossy mode (`false`). */
  get reliable(): boolean {
    return this.#reliable;
  }

  /**
   * Long delays on (as the course's Raft tests set): a call to a disabled end or a missing
   * server fails after up to 7 s instead of up to 100 ms.
   */
  setLongDelays(longDelays: boolean): void {
    this.#longDelays = longDelays;
  }

  /**
   * Long reordering on: about two replies in three are held back for 200 ms to about 2.2 s, so
   * replies arrive long after later ones.
   */
  setLongReordering(longReordering: boolean): void {
    this.#longReordering = longReordering;
  }

  /** RPCs delivered to (dispatched on) the named server since it was added. */
  rpcCount(serverName: string): number {
    return this.#servers.get(serverName)?.count ?? 0;
  }

  /** Calls ever made on this network, delivered or not. */
  get totalCount(): number {
    return this.#totalCount;
  }

  /** Bytes of every request sent plus every reply delivered. */
  get totalBytes(): number {
    return this.#totalBytes;
  }

  /** Shuts the network: pending and later calls resolve `closed`. */
  cleanup(): void {
    this.#closed = true;
    for (const end of this.#ends.values()) this.#failAll(end.inFlight, "closed");
  }

  /** @internal The body of {@link ClientEnd.call} for an end of this network. */
  call<Req, Rep>(
    endName: string,
    method: MethodDescriptor<Req, Rep>,
    args: Req,
    options: CallOptions,
  ): Promise<CallResult<Rep>> {
    let request: Uint8Array;
    try {
      request = method.request.encode(args);
    } catch (err) {
      return Promise.reject(err);
    }
    const end = this.#ends.get(endName);
    if (this.#closed || end === undefined) return Promise.resolve({ ok: false, reason: "closed" });
    this.#totalCount++;
    this.#totalBytes += request.length;
    const sim = this.#sim;
    const random = this.#random;
    const faults = this.#faults;
    const traceId = this.#totalCount;
    // Checked here, not only inside `trace`, so an untraced run allocates no trace details.
    const traced = sim.tracer.enabled;
    if (traced) {
      sim.trace("rpc.send", {
        id: traceId,
        from: endName,
        to: end.server,
        method: method.fullName,
      });
    }

    return new Promise<CallResult<Rep>>((resolve, reject) => {
      let done = false;
      let server: ServerEntry | undefined;
      let timeout: { cancel(): void } | undefined;
      const call: PendingCall = {
        finish: (result) => {
          if (done) return;
          done = true;
          timeout?.cancel();
          end.inFlight.delete(call);
          server?.inFlight.delete(call);
          if ("error" in result) {
            if (traced) sim.trace("rpc.error", { id: traceId });
            reject(result.error);
            return;
          }
          if (traced) {
            sim.trace(
              "rpc.done",
              result.ok
                ? { id: traceId, ok: true }
                : { id: traceId, ok: false, reason: result.reason },
            );
          }
          resolve(result as CallResult<Rep>);
        },
      };
      end.inFlight.add(call);
      if (options.timeoutMs !== undefined) {
        timeout = sim.setTimer(options.timeoutMs, () =>
          call.finish({ ok: false, reason: "timeout" }),
        );
      }

      const target = this.#reachable(end);
      if (target === undefined) {
        // Nobody there: fail after a while, as a real network would, not at once.
        const max = this.#longDelays
          ? faults.longUnreachableDelayMaxMs
          : faults.unreachableDelayMaxMs;
        sim.setTimer(random.int(max + 1), () => call.finish({ ok: false, reason: "unreachable" }));
        return;
      }
      // No draw at all for a zero delay, so seeds replay as before this knob existed.
      const delay = this.#reliable
        ? faults.reliableDelayMaxMs > 0
          ? random.int(faults.reliableDelayMaxMs + 1)
          : 0
        : random.int(faults.unreliableDelayMaxMs + 1);
      const lost = !this.#reliable && random.chance(faults.requestDropPerMille, 1000);
      sim.setTimer(delay, () => {
        if (done) return;
        if (lost) {
          call.finish({ ok: false, reason: "dropped" });
          return;
        }
        // The server may have crashed or been replaced, or the end cut off, during the delay.
        if (this.#reachable(end) !== target) {
          call.finish({ ok: false, reason: "unreachable" });
          return;
        }
        server = target;
        target.count++;
        target.inFlight.add(call);
        if (traced) sim.trace("rpc.deliver", { id: traceId, server: target.name });
        target.rpc.dispatch(method.fullName, request, { caller: endName }).then(
          (reply) => this.#replied(end, target, call, method, reply, () => done),
          (error: unknown) => call.finish({ error }),
        );
      });
    });
  }

  #replied<Rep>(
    end: EndEntry,
    target: ServerEntry,
    call: PendingCall,
    method: MethodDescriptor<unknown, Rep>,
    reply: Uint8Array,
    isDone: () => boolean,
  ): void {
    if (isDone()) return;
    if (this.#reachable(end) !== target) {
      call.finish({ ok: false, reason: "server-killed" });
      return;
    }
    if (!this.#reliable && this.#random.chance(this.#faults.replyDropPerMille, 1000)) {
      call.finish({ ok: false, reason: "dropped" });
      return;
    }
    const deliver = () => {
      if (isDone()) return;
      this.#totalBytes += reply.length;
      let decoded: Rep;
      try {
        decoded = method.reply.decode(reply);
      } catch (error) {
        call.finish({ error });
        return;
      }
      call.finish({ ok: true, reply: decoded });
    };
    const f = this.#faults;
    if (this.#longReordering && this.#random.chance(f.reorderNumerator, f.reorderDenominator)) {
      const hold = f.reorderBaseMs + this.#random.int(1 + this.#random.int(f.reorderSpreadMs + 1));
      this.#sim.setTimer(hold, deliver);
    } else {
      deliver();
    }
  }

  /** The server an end reaches now, if it is enabled, connected and the server exists. */
  #reachable(end: EndEntry): ServerEntry | undefined {
    if (!end.enabled || end.server === undefined || this.#ends.get(end.name) !== end)
      return undefined;
    return this.#servers.get(end.server);
  }

  #end(name: string): EndEntry {
    const end = this.#ends.get(name);
    if (end === undefined) throw new RpcUsageError(`no end named "${name}"`);
    return end;
  }

  #failAll(calls: Set<PendingCall>, reason: NoReplyReason): void {
    for (const call of [...calls]) call.finish({ ok: false, reason });
  }
}

/** A client end of the simulated network. */
class SimClientEnd implements ClientEnd {
  constructor(
    readonly network: Network,
    readonly name: string,
  ) {}

  call<Req, Rep>(
    method: MethodDescriptor<Req, Rep>,
    args: Req,
    options: CallOptions = {},
  ): Promise<CallResult<Rep>> {
    return this.network.call(this.name, method, args, options);
  }
}
