import { type Clock, type Random, RpcServer, type ServiceImpl, type Tracer } from "@lab/labrpc";
import { Clerk } from "../../kvsrv/clerk.js";
import { KvServer } from "../../kvsrv/kv-server.js";
import { KvsrvService } from "../../kvsrv/messages.js";
import { addKvsrvService } from "../../kvsrv/serve.js";
import type { ArtifactWriter } from "../artifacts.js";
import { SimulatedKvHarness } from "../simulated-kv-harness.js";
import { TestClerk } from "../test-clerk.js";

/** The handlers of the `KVServer` service: what a kvsrv server implementation provides. */
export type KvsrvHandlers = ServiceImpl<typeof KvsrvService>;

/**
 * Makes the server under test from the simulator's clock and tracer. The harness serves the
 * returned handlers as the `KVServer` service, so any implementation (yours, or a deliberately
 * broken one in a test) can be run through the course's scenarios.
 */
export type KvsrvServerFactory = (env: {
  readonly clock: Clock;
  readonly tracer: Tracer;
}) => KvsrvHandlers;

/** Options of a {@link KvsrvHarness}. */
export interface KvsrvHarnessOptions {
  /** Seeds everything random: the network's faults, clerk ids, workloads. */
  readonly seed: number;
  /** Start lossy (default false: reliable). */
  readonly unreliable?: boolean;
  /** Receives the simulator's, the network's and the server's trace events. */
  readonly tracer?: Tracer;
  /** Keeps the HTML report of a history that is not linearizable. */
  readonly artifacts?: ArtifactWriter;
  /** Names reports (default `"kvsrv"`); the seed is added. */
  readonly name?: string;
  /** Passed to every clerk (default: the clerk's default). */
  readonly clerkRetryDelayMs?: number;
  /** The server under test (default: this package's {@link KvServer}). */
  readonly server?: KvsrvServerFactory;
}

/** Options of {@link KvsrvHarness.makeClerk}. */
export interface MakeClerkOptions {
  /** Record the clerk's operations in the history (default true). */
  readonly record?: boolean;
}

/**
 * The course's kvsrv test configuration on the deterministic simulator: one {@link KvServer} on
 * the simulated network, clerks each with their own end, reliable or lossy links, and every clerk
 * call recorded as a porcupine history in virtual milliseconds.
 *
 * @example
 * const h = new KvsrvHarness({ seed: 1, unreliable: true });
 * await h.run(async () => {
 *   const ck = h.makeClerk();
 *   await ck.put("k", "v");
 *   h.check((await ck.get("k")) === "v", "get after put");
 * });
 * h.checkLinearizable();
 */
export class KvsrvHarness extends SimulatedKvHarness {
  /** The name of the one server on the network. */
  static readonly SERVER = "kvserver-0";
  /** This package's server, when no other was given in the options. */
  readonly server: KvServer | undefined;
  readonly #clerkIds: Random;
  readonly #retryDelayMs: number | undefined;
  #clerks = 0;

  constructor(options: KvsrvHarnessOptions) {
    super({
      seed: options.seed,
      tracer: options.tracer,
      artifacts: options.artifacts,
      name: options.name ?? "kvsrv",
      network: { reliable: options.unreliable !== true },
    });
    const env = { clock: this.sim, tracer: this.sim.tracer };
    if (options.server === undefined) {
      this.server = new KvServer(env);
      this.net.addServer(KvsrvHarness.SERVER, addKvsrvService(this.server));
    } else {
      this.server = undefined;
      this.net.addServer(
        KvsrvHarness.SERVER,
        new RpcServer().addService(KvsrvService, options.server(env)),
      );
    }
    this.#clerkIds = this.sim.random.fork("clerk ids");
    this.#retryDelayMs = options.clerkRetryDelayMs;
  }

  /** A new clerk with its own end, connected to the server and enabled. */
  makeClerk(options: MakeClerkOptions = {}): TestClerk {
    const index = this.#clerks++;
    const endName = `clerk-${index}`;
    const end = this.net.makeEnd(endName);
    this.net.connect(endName, KvsrvHarness.SERVER);
    this.net.enable(endName, true);
    const clerk = new Clerk(end, {
      clock: this.sim,
      random: this.#clerkIds,
      ...(this.#retryDelayMs === undefined ? {} : { retryDelayMs: this.#retryDelayMs }),
    });
    const sink = options.record === false ? undefined : this.record;
    return new TestClerk(index, [endName], clerk, this.sim, sink);
  }

  /** The course's `deleteClient`: forgets the clerk's end, so the network holds nothing of it. */
  deleteClerk(clerk: TestClerk): void {
    this.net.deleteEnd(clerk.endName);
  }
}
