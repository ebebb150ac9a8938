import { Network, type NetworkOptions, type Random, Simulator, type Tracer } from "@lab/labrpc";
import type { KvInput, KvOutput, Operation } from "@lab/porcupine";
import type { ArtifactWriter } from "./artifacts.js";
import { checkAgainstFinalValue } from "./final-value-check.js";
import { checkKvHistory, LINEARIZABILITY_BUDGET_MS } from "./kvsrv/check-history.js";
import { ScenarioFailure } from "./scenario-failure.js";
import type { OperationSink } from "./test-clerk.js";

/** What every key/value harness here is made from. */
export interface SimulatedKvHarnessOptions {
  readonly seed: number;
  readonly tracer?: Tracer | undefined;
  readonly artifacts?: ArtifactWriter | undefined;
  /** Names reports; the seed is added. */
  readonly name: string;
  readonly network: NetworkOptions;
}

/**
 * What the kvsrv and kvraft harnesses share: a simulator and a simulated network made from the
 * seed, the recorded porcupine history, its check, and failures that name the seed and the
 * virtual time.
 */
export abstract class SimulatedKvHarness {
  readonly seed: number;
  readonly sim: Simulator;
  readonly net: Network;
  /** Lines worth reporting that are not failures (an inconclusive linearizability check). */
  readonly notes: string[] = [];
  readonly #history: Operation<KvInput, KvOutput>[] = [];
  readonly #artifacts: ArtifactWriter | undefined;
  readonly #name: string;

  protected constructor(options: SimulatedKvHarnessOptions) {
    this.seed = options.seed;
    this.sim = new Simulator({
      seed: options.seed,
      ...(options.tracer === undefined ? {} : { tracer: options.tracer }),
    });
    this.net = new Network(this.sim, options.network);
    this.#artifacts = options.artifacts;
    this.#name = options.name;
  }

  /** Appends a clerk's operation to the history (a clerk's sink). */
  protected readonly record: OperationSink = (op) => {
    this.#history.push(op);
  };

  /** Something that broke earlier and likely explains a failed check (a stopped server). */
  protected earlierFailure(): string | undefined {
    return undefined;
  }

  /** Every recorded clerk operation so far. */
  get history(): readonly Operation<KvInput, KvOutput>[] {
    return this.#history;
  }

  /** An independent random stream of this run, e.g. one per client's workload. */
  random(label: string): Random {
    return this.sim.random.fork(label);
  }

  /** Lossy (`false`) or reliable links from now on. */
  setReliable(reliable: boolean): void {
    this.net.setReliable(reliable);
  }

  /**
   * Runs `body` in virtual time until it settles. Fails the scenario if it has not within
   * `timeoutMs` of virtual time (default 120 s, the course's limit per test), or if something
   * broke meanwhile (see {@link earlierFailure}).
   */
  async run<T>(body: () => Promise<T>, options: { readonly timeoutMs?: number } = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? 120_000;
    let result: T;
    try {
      result = await this.sim.settle(body(), { timeoutMs });
    } catch (error) {
      if (error instanceof ScenarioFailure) throw error;
      this.fail(error instanceof Error ? error.message : String(error), error);
    }
    const earlier = this.earlierFailure();
    if (earlier !== undefined) throw new ScenarioFailure(this.seed, this.sim.now(), earlier);
    return result;
  }

  /** Fails the scenario with `reason` (and what broke earlier, if anything did). */
  fail(reason: string, cause?: unknown): never {
    const earlier = this.earlierFailure();
    const why = earlier === undefined ? "" : ` (earlier, ${earlier})`;
    throw new ScenarioFailure(
      this.seed,
      this.sim.now(),
      `${reason}${why}`,
      cause === undefined ? undefined : { cause },
    );
  }

  /** Fails the scenario with `reason` unless `condition` holds, or if something broke. */
  check(condition: boolean, reason: string): void {
    if (!condition) this.fail(reason);
    const earlier = this.earlierFailure();
    if (earlier !== undefined) throw new ScenarioFailure(this.seed, this.sim.now(), earlier);
  }

  /**
   * Checks the recorded history with porcupine's kv model within {@link LINEARIZABILITY_BUDGET_MS} (10 s; the course allows 1 s). An
   * illegal history fails the scenario (its HTML report goes to the artifact writer); a check
   * that runs out of budget passes with a note in {@link SimulatedKvHarness.notes}.
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

  /**
   * Checks the recorded history, appends to `key` between one Put and one final Get that read
   * `finalValue`, with porcupine's kv model pinned to that value (see `finalValueModel`): the
   * plain model cannot order appends that answer nothing in reasonable time. Fails the scenario
   * when the history is not linearizable, or is not of that shape.
   */
  checkLinearizableAgainstFinal(
    key: string,
    finalValue: string,
    budgetMs = LINEARIZABILITY_BUDGET_MS,
  ): void {
    const verdict = checkAgainstFinalValue(this.#history, key, finalValue, budgetMs);
    switch (verdict.result) {
      case "ok":
        return;
      case "inexact":
        this.fail(`the history cannot be checked against its final value: ${verdict.problem}`);
        return;
      case "illegal":
        this.fail(
          `history is not linearizable: no order of the appends to ${JSON.stringify(key)} agrees with their real times and the final value`,
        );
        return;
      case "unknown":
        this.notes.push(
          `linearizability check against the final value gave up (${verdict.reason}) within its ${budgetMs} ms budget`,
        );
    }
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
