import type { Worker } from "node:worker_threads";
import type { StressJob, StressRunReport, StressWorkerMessage } from "./messages.js";
import { startStressWorker } from "./start-worker.js";

/** How a batch of runs is spread over worker threads. */
export interface WorkerPoolOptions {
  /** The worker module (built `.js`, or `.ts` when running from sources). */
  readonly workerUrl: URL;
  /** Registry module URL handed to each worker; undefined for the built-in suite. */
  readonly registry: string | undefined;
  /** `--raft` module URL handed to each worker; undefined for this package's Raft. */
  readonly raft: string | undefined;
  /** `--sync-delay` handed to each worker. */
  readonly syncDelayMs: number | undefined;
  readonly workers: number;
  /** A run with no result after this many wall-clock milliseconds fails as hung. */
  readonly timeoutMs: number;
  /** Aborting stops handing out runs and terminates every worker. */
  readonly signal?: AbortSignal | undefined;
  /** Called once per finished run, in completion order. */
  readonly onResult: (report: StressRunReport) => void;
}

/** Why a pool stopped before running every job. */
export type PoolOutcome = "done" | "interrupted";

/** A worker that died before it could run anything: the runner, not a scenario, is broken. */
export class WorkerStartError extends Error {
  override readonly name = "WorkerStartError";
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: StressJob | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  started: number;
}

/**
 * Runs `jobs` on `options.workers` threads, each thread one run at a time, handing the next job to
 * whichever thread finishes first. A thread that crashes or hangs during a run fails that run,
 * and a fresh thread takes its place; a thread that dies while loading rejects the whole batch
 * with {@link WorkerStartError}.
 */
export function runInWorkers(
  jobs: readonly StressJob[],
  options: WorkerPoolOptions,
): Promise<PoolOutcome> {
  const slots = new Set<Slot>();
  let next = 0;
  let pending = jobs.length;
  let finished = false;

  return new Promise<PoolOutcome>((resolve, reject) => {
    const finish = (outcome: PoolOutcome | Error): void => {
      if (finished) return;
      finished = true;
      options.signal?.removeEventListener("abort", onAbort);
      const stopping = [...slots].map((slot) => {
        clearTimeout(slot.timer);
        return slot.worker.terminate();
      });
      slots.clear();
      Promise.all(stopping).then(
        () => (outcome instanceof Error ? reject(outcome) : resolve(outcome)),
        reject,
      );
    };
    const onAbort = (): void => finish("interrupted");

    const complete = (slot: Slot, report: StressRunReport): void => {
      clearTimeout(slot.timer);
      slot.job = undefined;
      slot.timer = undefined;
      pending--;
      options.onResult(report);
      if (pending === 0) finish("done");
      else if (!finished && slots.has(slot)) dispatch(slot);
    };

    const dispatch = (slot: Slot): void => {
      const job = jobs[next];
      if (job === undefined) {
        // Nothing left for this thread: let it go while the others finish.
        slots.delete(slot);
        void slot.worker.terminate();
        return;
      }
      next++;
      slot.job = job;
      slot.started = performance.now();
      slot.timer = setTimeout(() => {
        const elapsed = performance.now() - slot.started;
        retire(slot, `no result after ${(elapsed / 1000).toFixed(1)} s of wall-clock time (hung?)`);
      }, options.timeoutMs);
      slot.worker.postMessage(job);
    };

    /** Fails the slot's run with `reason`, ends its thread, and starts a replacement. */
    const retire = (slot: Slot, reason: string): void => {
      if (finished || !slots.has(slot)) return;
      slots.delete(slot);
      void slot.worker.terminate();
      const job = slot.job;
      if (job === undefined) return;
      const wallMs = performance.now() - slot.started;
      if (next < jobs.length) spawn();
      complete(slot, { ...job, ok: false, failure: reason, virtualMs: 0, wallMs });
    };

    const spawn = (): void => {
      const slot: Slot = {
        worker: startStressWorker(options.workerUrl, {
          registry: options.registry,
          raft: options.raft,
          syncDelayMs: options.syncDelayMs,
        }),
        ready: false,
        job: undefined,
        timer: undefined,
        started: 0,
      };
      slots.add(slot);
      slot.worker.on("message", (message: StressWorkerMessage) => {
        if (finished) return;
        if (message.type === "ready") {
          slot.ready = true;
          dispatch(slot);
        } else if (slot.job !== undefined) {
          complete(slot, message.report);
        }
      });
      const died = (what: string): void => {
        if (finished || !slots.has(slot)) return;
        if (!slot.ready) finish(new WorkerStartError(`a stress worker failed to start: ${what}`));
        else retire(slot, `worker thread crashed: ${what}`);
      };
      slot.worker.on("error", (error) => died(error.stack ?? error.message));
      slot.worker.on("exit", (code) => died(`exited with code ${code}`));
    };

    if (pending === 0) {
      finish("done");
      return;
    }
    if (options.signal?.aborted) {
      finish("interrupted");
      return;
    }
    options.signal?.addEventListener("abort", onAbort, { once: true });
    for (let i = 0; i < Math.min(options.workers, jobs.length); i++) spawn();
  });
}
