import {
  type Clock,
  Network,
  type Random,
  RpcServer,
  type ServiceImpl,
  Simulator,
  type Tracer,
} from "@lab/labrpc";
import type { KvInput, KvOutput, Operation } from "@lab/porcupine";
import { Clerk } from "../../kvsrv/clerk.js";
import { KvServer } from "../../kvsrv/kv-server.js";
import { KvsrvService } from "../../kvsrv/messages.js";
import { addKvsrvService } from "../../kvsrv/serve.js";
import type { ArtifactWriter } from "../artifacts.js";
import { ScenarioFailure } from "../scenario-failure.js";
import { TestClerk } from "../test-clerk.js";
import { checkKvHistory, LINEARIZABILITY_BUDGET_MS } from "./check-history.js";

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
export class KvsrvHarness {
  /** The name of the one server on the network. */
  static readonly SERVER = "kvserver-0";
  readonly seed: number;
  readonly sim: Simulator;
  readonly net: Network;
  /** This package's server, when no other was given in the options. */
  readonly server: KvServer | undefined;
  /** Lines worth reporting that are not failures (an inconclusive linearizability check). */
  readonly notes: string[] = [];
  readonly #history: Operation<KvInput, KvOutput>[] = [];
  readonly #clerkIds: Random;
  readonly #artifacts: ArtifactWriter | undefined;
  readonly #name: string;
  readonly #retryDelayMs: number | undefined;
  #clerks = 0;

  constructor(options: KvsrvHarnessOptions) {
    this.seed = options.seed;
    this.sim = new Simulator({
      seed: options.seed,
      ...(options.tracer === undefined ? {} : { tracer: options.tracer }),
    });
    this.net = new Network(this.sim, { reliable: options.unreliable !== true });
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
    this.#artifacts = options.artifacts;
    this.#name = options.name ?? "kvsrv";
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
    const sink =
      options.record === false
        ? undefined
        : (op: Operation<KvInput, KvOutput>) => {
            this.#history.push(op);
          };
    return new TestClerk(index, [endName], clerk, this.sim, sink);
  }

  /** The course's `deleteClient`: forgets the clerk's end, so the network holds nothing of it. */
  deleteClerk(clerk: TestClerk): void {
    this.net.deleteEnd(clerk.endName);
  }

  /** Lossy (`false`) or reliable links from now on. */
  setReliable(reliable: boolean): void {
    this.net.setReliable(reliable);
  }

  /** An independent random stream of this run, e.g. one per client's workload. */
  random(label: string): Random {
    return this.sim.random.fork(label);
  }

  /** Every recorded clerk operation so far. */
  get history(): readonly Operation<KvInput, KvOutput>[] {
    return this.#history;
  }

  /**
   * Runs `body` in virtual time until it settles. Fails the scenario if it has not settled within
   * `timeoutMs` of virtual time (default 120 s, the course's limit per test).
   */
  async run<T>(body: () => Promise<T>, options: { readonly timeoutMs?: number } = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? 120_000;
    try {
      return await this.sim.settle(body(), { timeoutMs });
    } catch (error) {
      if (error instanceof ScenarioFailure) throw error;
      throw new ScenarioFailure(
        this.seed,
        this.sim.now(),
        error instanceof Error ? error.message : String(error),
        { cause: error },
      );
    }
  }

  /** Fails the scenario with `reason`. */
  fail(reason: string): never {
    throw new ScenarioFailure(this.seed, this.sim.now(), reason);
  }

  /** Fails the scenario with `reason` unless `condition` holds. */
  check(condition: boolean, reason: string): void {
    if (!condition) this.fail(reason);
  }

  /**
   * Checks the recorded history with porcupine's kv model within the course's 1 s budget. An
   * illegal history fails the scenario (its HTML report goes to the artifact writer); a check
   * that runs out of budget passes with a note in {@link KvsrvHarness.notes}.
   */
  checkLinearizable(budgetMs = LINEARIZABILITY_BUDGET_MS): void {
    const verdict = checkKvHistory(this.#history, {
      reportName: `${this.#name}-seed-${this.seed}`,
      artifacts: this.#artifacts,
      budgetMs,
    });
    if (verdict.result === "illegal") this.fail(verdict.message);
    if (verdict.result === "unknown") this.notes.push(verdict.note);
  }

  /** Calls made on the network (retries included). */
  rpcTotal(): number {
    return this.net.totalCount;
  }

  /** Bytes the network carried. */
  bytesTotal(): number {
    return this.net.totalBytes;
  }
}
