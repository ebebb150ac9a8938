import type { Clock, Timer } from "../clock.js";
import { RpcUsageError, SimulationDeadlockError, SimulationTimeoutError } from "../errors.js";
import { SeededRandom } from "../random.js";
import { drainMicrotasks, drainMicrotasksWithoutIo } from "../runtime/macrotask.js";
import { noopTracer, type Tracer } from "../trace.js";
import { EventQueue, type ScheduledEvent } from "./event-queue.js";

/** Events run between two real turns of the event loop (see `#step`). */
const IO_TURN_EVERY = 64;

/** Options of a {@link Simulator}. */
export interface SimulatorOptions {
  /** Root seed: the same seed and scenario give the same schedule, event for event. */
  readonly seed: number;
  /** Receives trace events from the simulator and everything built on it. */
  readonly tracer?: Tracer;
  /** Stop with `SimulationTimeoutError` after this many events (a guard against livelock). */
  readonly maxEvents?: number;
}

/** Options of the simulator's run helpers (`runUntil`, `settle`, `runUntilIdle`). */
export interface RunOptions {
  /** Give up after this much virtual time in milliseconds (default: no limit). */
  readonly timeoutMs?: number;
}

/**
 * A deterministic discrete-event simulator and the {@link Clock} of everything running in it.
 *
 * Virtual time jumps from event to event, so idle time costs nothing. Events due at the same
 * time run in the order they were scheduled. After every event the simulator waits until the
 * microtask queue is empty, so every promise continuation the event triggered runs before the
 * next event, as it would in real time. With the same seed, a scenario produces the same trace byte for byte.
 *
 * The simulator is an object you create, not a global: two simulations can share a process.
 */
export class Simulator implements Clock {
  /** The root seed this simulator was created with; a failing run prints it for replay. */
  readonly seed: number;
  /** The root random stream; fork it per concern (`random.fork("network")`). */
  readonly random: SeededRandom;
  /** Where trace events go (the options' tracer, or one that discards everything). */
  readonly tracer: Tracer;
  readonly #queue = new EventQueue();
  readonly #maxEvents: number;
  #now = 0;
  #seq = 0;
  #eventsRun = 0;
  #running = false;

  constructor(options: SimulatorOptions) {
    this.seed = options.seed;
    this.random = new SeededRandom(options.seed);
    this.tracer = options.tracer ?? noopTracer;
    this.#maxEvents = options.maxEvents ?? Number.POSITIVE_INFINITY;
  }

  now(): number {
    return this.#now;
  }

  /** Number of events run so far. */
  get eventsRun(): number {
    return this.#eventsRun;
  }

  /** Number of events scheduled and not yet run (cancelled ones included until popped). */
  get pendingEvents(): number {
    return this.#queue.size;
  }

  setTimer(delayMs: number, callback: () => void): Timer {
    if (!(delayMs >= 0) || !Number.isFinite(delayMs)) {
      throw new RpcUsageError(`timer delay must be a finite number >= 0, got ${delayMs}`);
    }
    const event: ScheduledEvent = {
      time: this.#now + delayMs,
      seq: this.#seq++,
      run: callback,
      cancelled: false,
    };
    this.#queue.push(event);
    return {
      cancel: () => {
        event.cancelled = true;
      },
    };
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(ms, resolve));
  }

  /** Records a trace event stamped with the current virtual time. */
  trace(kind: string, details?: Readonly<Record<string, unknown>>): void {
    if (this.tracer.enabled) this.tracer.record({ ...details, time: this.#now, kind });
  }

  /**
   * Runs the next event, then drains microtasks. Resolves false when no event is left.
   */
  async step(): Promise<boolean> {
    return this.#exclusive(() => this.#step());
  }

  /** Runs every event due within the next `ms` of virtual time; the clock then reads `now + ms`. */
  async runFor(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RpcUsageError(`runFor needs ms >= 0, got ${ms}`);
    const end = this.#now + ms;
    await this.#exclusive(async () => {
      await drainMicrotasks();
      for (;;) {
        const next = this.#nextLiveEvent();
        if (next === undefined || next.time > end) break;
        await this.#step();
      }
      this.#now = end;
    });
  }

  /**
   * Runs events until `condition()` holds (checked before the first event and after each one).
   * Resolves true when it holds, false when the events ran out or `timeoutMs` of virtual time
   * passed first.
   */
  async runUntil(condition: () => boolean, options: RunOptions = {}): Promise<boolean> {
    const deadline = this.#now + (options.timeoutMs ?? Number.POSITIVE_INFINITY);
    return this.#exclusive(async () => {
      await drainMicrotasks();
      for (;;) {
        if (condition()) return true;
        const next = this.#nextLiveEvent();
        if (next === undefined) return false;
        if (next.time > deadline) {
          this.#now = deadline;
          return false;
        }
        await this.#step();
      }
    });
  }

  /**
   * Runs events until `promise` settles and returns its value (or rethrows its error).
   * Throws `SimulationDeadlockError` when no event is left and the promise is still pending,
   * and `SimulationTimeoutError` when `timeoutMs` of virtual time passes first.
   */
  async settle<T>(promise: Promise<T>, options: RunOptions = {}): Promise<T> {
    let settled = false;
    const observed = promise.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    const done = await this.runUntil(() => settled, options);
    if (!done) {
      if (options.timeoutMs !== undefined && this.#nextLiveEvent() !== undefined) {
        throw new SimulationTimeoutError(
          `promise still pending after ${options.timeoutMs} ms of virtual time (now ${this.#now} ms, seed ${this.seed})`,
        );
      }
      throw new SimulationDeadlockError(
        `promise can never settle: no events left at ${this.#now} ms (seed ${this.seed})`,
      );
    }
    await observed;
    return promise;
  }

  /** Runs until no event is left, or `timeoutMs` of virtual time passed. */
  async runUntilIdle(options: RunOptions = {}): Promise<boolean> {
    return this.runUntil(() => this.#nextLiveEvent() === undefined, options);
  }

  async #step(): Promise<boolean> {
    const event = this.#nextLiveEvent();
    if (event === undefined) return false;
    this.#queue.pop();
    if (this.#eventsRun >= this.#maxEvents) {
      throw new SimulationTimeoutError(
        `event limit of ${this.#maxEvents} reached at ${this.#now} ms (seed ${this.seed})`,
      );
    }
    this.#eventsRun++;
    this.#now = event.time;
    event.run();
    // Most events drain their microtasks on the tick queue, which is much cheaper than a turn
    // of the event loop; every IO_TURN_EVERY events a real turn lets timers, I/O and worker
    // messages of the process (a test runner's timeout, a progress line) run. Neither choice
    // changes what the simulation does, only how long it takes.
    if (this.#eventsRun % IO_TURN_EVERY === 0) await drainMicrotasks();
    else await drainMicrotasksWithoutIo();
    return true;
  }

  /** Drops cancelled events from the head of the queue and returns the next live one. */
  #nextLiveEvent(): ScheduledEvent | undefined {
    for (;;) {
      const head = this.#queue.peek();
      if (head === undefined || !head.cancelled) return head;
      this.#queue.pop();
    }
  }

  async #exclusive<T>(body: () => Promise<T>): Promise<T> {
    if (this.#running) {
      throw new RpcUsageError(
        "the simulator is already running: await the previous step/runFor/runUntil/settle first",
      );
    }
    this.#running = true;
    try {
      return await body();
    } finally {
      this.#running = false;
    }
  }
}
