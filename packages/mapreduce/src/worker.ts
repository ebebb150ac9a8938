import { hostname } from "node:os";
import { type ClientEnd, type Clock, RealClock, TcpClientEnd } from "@lab/labrpc";
import { formatEndpoint, parseEndpoint } from "./address.js";
import type { MapReduceApp } from "./app.js";
import { CoordinatorUnreachableError, JobAbortedError, MapReduceUsageError } from "./errors.js";
import { CoordinatorService, type TaskReply } from "./protocol.js";
import type { TaskKind } from "./scheduler.js";
import { runMapTask } from "./tasks/map-task.js";
import { runReduceTask } from "./tasks/reduce-task.js";

/** Options of {@link runWorker}. */
export interface WorkerOptions {
  readonly app: MapReduceApp;
  /** The coordinator: `host:port` (or a bare port), or any `ClientEnd` that reaches it. */
  readonly coordinator: string | ClientEnd;
  /** Name in the coordinator's log (default `hostname:pid`). */
  readonly name?: string;
  /** Pause before asking again when told to wait or when the coordinator did not answer (default 200 ms). */
  readonly pollMs?: number;
  /**
   * How long to keep trying a coordinator that has not answered yet (default 5000 ms). A worker
   * started before its coordinator waits this long; then it fails with
   * `CoordinatorUnreachableError`.
   */
  readonly connectWaitMs?: number;
  /**
   * How long a coordinator that did answer before may stay silent before the worker concludes it
   * is gone (the job is over) and exits normally (default 2000 ms).
   */
  readonly goneAfterMs?: number;
  /** Longest wait for one RPC (default 10 000 ms). */
  readonly callTimeoutMs?: number;
  /** Time for the waits above (default a `RealClock`). */
  readonly clock?: Clock;
  /** Told about each task and each silence of the coordinator (logs). */
  readonly onEvent?: (event: WorkerEvent) => void;
}

/** Something a worker did. */
export type WorkerEvent =
  | {
      readonly type: "task-started";
      readonly kind: TaskKind;
      readonly taskId: number;
      readonly attempt: number;
    }
  | {
      readonly type: "task-finished";
      readonly kind: TaskKind;
      readonly taskId: number;
      readonly attempt: number;
      readonly ms: number;
    }
  | {
      readonly type: "task-failed";
      readonly kind: TaskKind;
      readonly taskId: number;
      readonly attempt: number;
      readonly error: string;
    }
  /** The coordinator had nothing to hand out yet (maps or reduces running elsewhere). */
  | { readonly type: "told-to-wait" }
  | { readonly type: "no-reply"; readonly reason: string };

/** Why a worker stopped, and what it did. */
export interface WorkerResult {
  /** `done`: the coordinator said the job is finished; `coordinator-gone`: it stopped answering. */
  readonly reason: "done" | "coordinator-gone";
  readonly maps: number;
  readonly reduces: number;
  /** Tasks whose execution threw (reported to the coordinator, which hands them out again). */
  readonly failures: number;
}

/**
 * Runs a worker until the job is over: ask the coordinator for a task, run it, report it,
 * repeat. Returns when the coordinator says the job is done, or when a coordinator that used to
 * answer has been silent for `goneAfterMs` (the course's worker exits when the coordinator is
 * gone: it exits when the job is done).
 *
 * A task that throws is reported as failed (the coordinator hands it out again and aborts the
 * job after repeated failures) and the worker carries on.
 *
 * @throws CoordinatorUnreachableError when no coordinator answered within `connectWaitMs`.
 * @throws JobAbortedError when the coordinator aborted the job.
 */
export async function runWorker(options: WorkerOptions): Promise<WorkerResult> {
  const clock = options.clock ?? new RealClock();
  const pollMs = duration("pollMs", options.pollMs, 200);
  const connectWaitMs = duration("connectWaitMs", options.connectWaitMs, 5000);
  const goneAfterMs = duration("goneAfterMs", options.goneAfterMs, 2000);
  const callTimeoutMs = duration("callTimeoutMs", options.callTimeoutMs, 10_000);
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const onEvent = options.onEvent ?? (() => {});
  const owned = typeof options.coordinator === "string";
  const end: ClientEnd =
    typeof options.coordinator === "string"
      ? new TcpClientEnd(formatEndpoint(parseEndpoint(options.coordinator)), {
          name: "coordinator",
          clock,
          connectTimeoutMs: Math.max(100, Math.min(connectWaitMs, 3000)),
          // Retry a refused connection quickly: the silence limits above, not the backoff,
          // decide when to give up.
          backoff: { initialMs: 50, maxMs: Math.max(50, pollMs) },
        })
      : options.coordinator;
  const address =
    typeof options.coordinator === "string"
      ? formatEndpoint(parseEndpoint(options.coordinator))
      : end.name;
  const counts = { maps: 0, reduces: 0, failures: 0 };
  let answered = false;
  let silentSince: number | null = null;
  try {
    for (;;) {
      const result = await end.call(
        CoordinatorService.methods.RequestTask,
        { worker: name },
        { timeoutMs: callTimeoutMs },
      );
      if (!result.ok) {
        onEvent({ type: "no-reply", reason: result.reason });
        const now = clock.now();
        silentSince ??= now;
        const silentMs = now - silentSince;
        if (answered && silentMs >= goneAfterMs) return { reason: "coordinator-gone", ...counts };
        if (!answered && silentMs >= connectWaitMs) {
          throw new CoordinatorUnreachableError(address, silentMs, result.reason);
        }
        await clock.sleep(pollMs);
        continue;
      }
      answered = true;
      silentSince = null;
      const task = result.reply;
      switch (task.kind) {
        case "exit":
          return { reason: "done", ...counts };
        case "abort":
          throw new JobAbortedError(`the coordinator aborted the job: ${task.reason}`);
        case "wait":
          onEvent({ type: "told-to-wait" });
          await clock.sleep(pollMs);
          break;
        case "map":
        case "reduce":
          await runTask(task, task.kind);
          break;
      }
    }
  } finally {
    if (owned) await (end as TcpClientEnd).close();
  }

  async function runTask(task: TaskReply, kind: TaskKind): Promise<void> {
    const { taskId, attempt } = task;
    onEvent({ type: "task-started", kind, taskId, attempt });
    const started = clock.now();
    let error = "";
    try {
      if (kind === "map") {
        await runMapTask(options.app, {
          taskId,
          file: task.file,
          path: task.path,
          nReduce: task.nReduce,
          workDir: task.workDir,
        });
        counts.maps++;
      } else {
        await runReduceTask(options.app, { taskId, nMap: task.nMap, workDir: task.workDir });
        counts.reduces++;
      }
      onEvent({ type: "task-finished", kind, taskId, attempt, ms: clock.now() - started });
    } catch (thrown) {
      error = describeError(thrown);
      counts.failures++;
      onEvent({ type: "task-failed", kind, taskId, attempt, error });
    }
    // The report's own fate does not matter: if it is lost, the coordinator hands the task out
    // again after its timeout, and the next request finds out whether the coordinator is gone.
    await end.call(
      CoordinatorService.methods.ReportTask,
      { kind, taskId, attempt, worker: name, error },
      { timeoutMs: callTimeoutMs },
    );
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function duration(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new MapReduceUsageError(`${name} must be a number of milliseconds >= 0, got ${value}`);
  }
  return value;
}
