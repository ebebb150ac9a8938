import { MapReduceUsageError } from "./errors.js";

/** The two kinds of task. */
export type TaskKind = "map" | "reduce";

/** What the scheduler hands a worker that asks for work. */
export type Assignment =
  | {
      readonly kind: TaskKind;
      readonly taskId: number;
      /** 1 for the first hand-out, 2 for the first re-issue, ... */
      readonly attempt: number;
      /** True when an earlier hand-out of this task timed out. */
      readonly reissued: boolean;
    }
  | { readonly kind: "wait" }
  | { readonly kind: "exit" }
  | { readonly kind: "abort"; readonly reason: string };

/** A worker's report about one hand-out of a task. */
export interface Report {
  readonly kind: TaskKind;
  readonly taskId: number;
  readonly attempt: number;
  /** Empty when the task succeeded; what went wrong otherwise. */
  readonly error: string;
}

/** What a report did. */
export type ReportOutcome =
  /** The task is now done (the first successful report of it). */
  | "completed"
  /** The task was already done: a re-issued task's other execution finished too. */
  | "duplicate"
  /** A failure: the task will be handed out again. */
  | "failed"
  /** A failure from an execution that was already superseded by a re-issue: nothing changes. */
  | "stale-failure"
  /** A failure that used up the task's allowance: the job is aborted. */
  | "aborted";

/** Counts of a job's progress. */
export interface JobProgress {
  readonly nMap: number;
  readonly nReduce: number;
  readonly mapsDone: number;
  readonly reducesDone: number;
  /** Hand-outs of tasks whose earlier hand-out timed out. */
  readonly reissues: number;
  readonly phase: "map" | "reduce" | "done" | "aborted";
}

/** Options of a {@link TaskScheduler}. */
export interface SchedulerOptions {
  readonly nMap: number;
  readonly nReduce: number;
  /** A task not reported within this many ms of its hand-out is handed out again. */
  readonly taskTimeoutMs: number;
  /** A task that fails (throws) this many times aborts the job (default 3). */
  readonly maxTaskFailures?: number;
}

interface TaskState {
  status: "idle" | "running" | "done";
  /** Hand-outs so far; the latest hand-out's attempt number. */
  attempts: number;
  /** When the latest hand-out times out. */
  deadline: number;
  failures: number;
}

/**
 * The coordinator's bookkeeping, free of I/O and of clocks: callers pass the time in. One map
 * task per input, `nReduce` reduce tasks; reduces are handed out only once every map is done; a
 * task whose hand-out is older than the timeout is handed out again to the next worker that
 * asks (the older execution may still finish: whichever reports first completes the task, and
 * since both write the same files atomically, either result is the right one).
 *
 * A task that throws (a worker reports an error) is handed out again at once; after
 * `maxTaskFailures` failures the job is aborted, so an application that always fails on some
 * input ends the job with its error instead of cycling forever.
 */
export class TaskScheduler {
  readonly #maps: TaskState[];
  readonly #reduces: TaskState[];
  readonly #timeoutMs: number;
  readonly #maxFailures: number;
  #mapsDone = 0;
  #reducesDone = 0;
  #reissues = 0;
  #abortReason: string | null = null;

  constructor(options: SchedulerOptions) {
    const { nMap, nReduce, taskTimeoutMs } = options;
    const maxFailures = options.maxTaskFailures ?? 3;
    if (!Number.isSafeInteger(nMap) || nMap < 1) {
      throw new MapReduceUsageError(`nMap must be an integer >= 1, got ${nMap}`);
    }
    if (!Number.isSafeInteger(nReduce) || nReduce < 1) {
      throw new MapReduceUsageError(`nReduce must be an integer >= 1, got ${nReduce}`);
    }
    if (!(taskTimeoutMs > 0) || !Number.isFinite(taskTimeoutMs)) {
      throw new MapReduceUsageError(`taskTimeoutMs must be a number > 0, got ${taskTimeoutMs}`);
    }
    if (!Number.isSafeInteger(maxFailures) || maxFailures < 1) {
      throw new MapReduceUsageError(`maxTaskFailures must be an integer >= 1, got ${maxFailures}`);
    }
    const fresh = (): TaskState => ({ status: "idle", attempts: 0, deadline: 0, failures: 0 });
    this.#maps = Array.from({ length: nMap }, fresh);
    this.#reduces = Array.from({ length: nReduce }, fresh);
    this.#timeoutMs = taskTimeoutMs;
    this.#maxFailures = maxFailures;
  }

  /** Picks work for a worker asking at time `now`. */
  assign(now: number): Assignment {
    if (this.#abortReason !== null) return { kind: "abort", reason: this.#abortReason };
    if (this.#mapsDone < this.#maps.length) return this.#pick("map", this.#maps, now);
    if (this.#reducesDone < this.#reduces.length) return this.#pick("reduce", this.#reduces, now);
    return { kind: "exit" };
  }

  /** Records a worker's report about one hand-out. */
  report(report: Report): ReportOutcome {
    const tasks = report.kind === "map" ? this.#maps : this.#reduces;
    const task = tasks[report.taskId];
    if (task === undefined || report.attempt < 1 || report.attempt > task.attempts) {
      throw new MapReduceUsageError(
        `report of ${report.kind} task ${report.taskId} attempt ${report.attempt}: no such hand-out`,
      );
    }
    if (task.status === "done") return report.error === "" ? "duplicate" : "stale-failure";
    if (report.error === "") {
      task.status = "done";
      if (report.kind === "map") this.#mapsDone++;
      else this.#reducesDone++;
      return "completed";
    }
    if (report.attempt !== task.attempts) return "stale-failure";
    task.failures++;
    task.status = "idle";
    if (task.failures >= this.#maxFailures && this.#abortReason === null) {
      this.#abortReason = `${report.kind} task ${report.taskId} failed ${task.failures} times; last error: ${report.error}`;
      return "aborted";
    }
    return "failed";
  }

  /** True once every reduce task is done. */
  get done(): boolean {
    return this.#reducesDone === this.#reduces.length;
  }

  /** Why the job was aborted, or null. */
  get abortReason(): string | null {
    return this.#abortReason;
  }

  /** The job's counts. */
  get progress(): JobProgress {
    return {
      nMap: this.#maps.length,
      nReduce: this.#reduces.length,
      mapsDone: this.#mapsDone,
      reducesDone: this.#reducesDone,
      reissues: this.#reissues,
      phase:
        this.#abortReason !== null
          ? "aborted"
          : this.#mapsDone < this.#maps.length
            ? "map"
            : this.done
              ? "done"
              : "reduce",
    };
  }

  /**
   * An idle task if there is one (lowest number first), else the running task whose hand-out
   * expired first, else nothing: the worker waits.
   */
  #pick(kind: TaskKind, tasks: TaskState[], now: number): Assignment {
    let expired = -1;
    for (let i = 0; i < tasks.length; i++) {
      const task = tasks[i] as TaskState;
      if (task.status === "idle") return this.#handOut(kind, i, task, now);
      if (task.status === "running" && task.deadline <= now) {
        if (expired === -1 || task.deadline < (tasks[expired] as TaskState).deadline) expired = i;
      }
    }
    if (expired === -1) return { kind: "wait" };
    this.#reissues++;
    return this.#handOut(kind, expired, tasks[expired] as TaskState, now);
  }

  #handOut(kind: TaskKind, taskId: number, task: TaskState, now: number): Assignment {
    const reissued = task.status === "running";
    task.status = "running";
    task.attempts++;
    task.deadline = now + this.#timeoutMs;
    return { kind, taskId, attempt: task.attempts, reissued };
  }
}
