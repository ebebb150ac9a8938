import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { type Clock, RealClock, RpcServer, TcpServer } from "@lab/labrpc";
import { type Endpoint, formatEndpoint } from "./address.js";
import { JobAbortedError } from "./errors.js";
import { resolveInputFiles } from "./files/input-files.js";
import { CoordinatorService, type TaskReply, type TaskReport } from "./protocol.js";
import {
  type Assignment,
  type JobProgress,
  type ReportOutcome,
  type TaskKind,
  TaskScheduler,
} from "./scheduler.js";

/** The course's failure-detection rule: a task not reported within 10 s is handed out again. */
export const DEFAULT_TASK_TIMEOUT_MS = 10_000;
/** The course's number of reduce tasks. */
export const DEFAULT_N_REDUCE = 10;

/** Options of {@link Coordinator.start}. */
export interface CoordinatorOptions {
  /** Input files, one map task each; `map` receives each name exactly as given here. */
  readonly files: readonly string[];
  /** Number of reduce tasks (default 10). */
  readonly nReduce?: number;
  /** Shared directory for intermediate and output files (created if missing). */
  readonly workDir: string;
  /** Hand a task out again when it is not reported within this many ms (default 10 000). */
  readonly taskTimeoutMs?: number;
  /** Abort the job when one task fails (throws) this many times (default 3). */
  readonly maxTaskFailures?: number;
  /** Interface to listen on (default `127.0.0.1`; `0.0.0.0` for workers on other hosts). */
  readonly host?: string;
  /** Port to listen on (default 0: a free port, see {@link Coordinator.address}). */
  readonly port?: number;
  /** Time for task deadlines (default a `RealClock`). */
  readonly clock?: Clock;
  /** Told about every hand-out, report, and the end of the job (progress displays, logs). */
  readonly onEvent?: (event: CoordinatorEvent) => void;
}

/** Something that happened at the coordinator, with the job's counts after it. */
export type CoordinatorEvent = (
  | {
      readonly type: "assigned";
      readonly kind: TaskKind;
      readonly taskId: number;
      readonly attempt: number;
      readonly reissued: boolean;
      readonly worker: string;
    }
  | {
      readonly type: "reported";
      readonly kind: TaskKind;
      readonly taskId: number;
      readonly attempt: number;
      readonly worker: string;
      readonly outcome: ReportOutcome;
      readonly error: string;
    }
  | { readonly type: "done"; readonly elapsedMs: number }
  | { readonly type: "aborted"; readonly reason: string }
) & { readonly progress: JobProgress };

/** How a finished job went. */
export interface JobSummary extends JobProgress {
  /** Milliseconds from the coordinator's start to the last reduce reported. */
  readonly elapsedMs: number;
}

type Outcome = { ok: true; summary: JobSummary } | { ok: false; error: JobAbortedError };

/**
 * The coordinator: serves the task protocol over the TCP transport and keeps the job's books in
 * a {@link TaskScheduler}. Workers ask for tasks and report them; there is no other traffic.
 *
 * @example
 * const coordinator = await Coordinator.start({ files, nReduce: 10, workDir: "out" });
 * console.log(`workers: mapreduce worker --app wc --coordinator ${coordinator.url}`);
 * await coordinator.done();
 * await coordinator.close();
 */
export class Coordinator {
  readonly #server: TcpServer;
  readonly #scheduler: TaskScheduler;
  readonly #clock: Clock;
  readonly #startedAt: number;
  readonly #onEvent: (event: CoordinatorEvent) => void;
  readonly #outcome: Promise<Outcome>;
  #settle: (outcome: Outcome) => void = () => {};
  #address: Endpoint | null = null;

  private constructor(
    options: CoordinatorOptions,
    files: readonly string[],
    paths: readonly string[],
    workDir: string,
  ) {
    const nReduce = options.nReduce ?? DEFAULT_N_REDUCE;
    this.#clock = options.clock ?? new RealClock();
    this.#startedAt = this.#clock.now();
    this.#onEvent = options.onEvent ?? (() => {});
    this.#scheduler = new TaskScheduler({
      nMap: files.length,
      nReduce,
      taskTimeoutMs: options.taskTimeoutMs ?? DEFAULT_TASK_TIMEOUT_MS,
      ...(options.maxTaskFailures === undefined
        ? {}
        : { maxTaskFailures: options.maxTaskFailures }),
    });
    this.#outcome = new Promise((settle) => {
      this.#settle = settle;
    });
    const base = { nMap: files.length, nReduce, workDir };
    const rpc = new RpcServer().addService(CoordinatorService, {
      RequestTask: ({ worker }) =>
        this.#reply(this.#scheduler.assign(this.#clock.now()), worker, {
          ...base,
          files,
          paths,
        }),
      ReportTask: (report) => this.#report(report),
    });
    this.#server = new TcpServer(rpc, {
      host: options.host ?? "127.0.0.1",
      port: options.port ?? 0,
      // Handlers answer at once; a short grace is enough for replies already on their way.
      closeGraceMs: 500,
    });
  }

  /**
   * Checks the inputs, creates the work directory, and starts serving.
   * @throws InputFileError when an input is missing; MapReduceUsageError for bad options.
   */
  static async start(options: CoordinatorOptions): Promise<Coordinator> {
    const paths = await resolveInputFiles(options.files);
    const workDir = resolve(options.workDir);
    await mkdir(workDir, { recursive: true });
    const coordinator = new Coordinator(options, [...options.files], paths, workDir);
    const { host, port } = await coordinator.#server.listen();
    coordinator.#address = { host, port };
    return coordinator;
  }

  /** The address workers dial. */
  get address(): Endpoint {
    return this.#address as Endpoint;
  }

  /** `host:port`, for `mapreduce worker --coordinator`. */
  get url(): string {
    return formatEndpoint(this.address);
  }

  /** The job's counts now. */
  get progress(): JobProgress {
    return this.#scheduler.progress;
  }

  /**
   * Resolves when every reduce task is done; rejects with `JobAbortedError` when a task failed
   * too often. The coordinator keeps serving either way (workers asking get `exit` or `abort`)
   * until {@link close}.
   */
  async done(): Promise<JobSummary> {
    const outcome = await this.#outcome;
    if (!outcome.ok) throw outcome.error;
    return outcome.summary;
  }

  /** Stops serving; workers that ask afterwards find the coordinator gone and exit. */
  close(): Promise<void> {
    return this.#server.close();
  }

  #reply(
    assignment: Assignment,
    worker: string,
    job: {
      nMap: number;
      nReduce: number;
      workDir: string;
      files: readonly string[];
      paths: readonly string[];
    },
  ): TaskReply {
    const reply: TaskReply = {
      kind: assignment.kind,
      taskId: 0,
      attempt: 0,
      file: "",
      path: "",
      nMap: job.nMap,
      nReduce: job.nReduce,
      workDir: job.workDir,
      reason: "",
    };
    if (assignment.kind === "abort") return { ...reply, reason: assignment.reason };
    if (assignment.kind !== "map" && assignment.kind !== "reduce") return reply;
    const { kind, taskId, attempt, reissued } = assignment;
    this.#emit({ type: "assigned", kind, taskId, attempt, reissued, worker });
    if (kind === "reduce") return { ...reply, taskId, attempt };
    return {
      ...reply,
      taskId,
      attempt,
      file: job.files[taskId] as string,
      path: job.paths[taskId] as string,
    };
  }

  #report(report: TaskReport): void {
    const wasDone = this.#scheduler.done;
    const outcome = this.#scheduler.report(report);
    const { kind, taskId, attempt, worker, error } = report;
    this.#emit({ type: "reported", kind, taskId, attempt, worker, outcome, error });
    if (outcome === "aborted") {
      const reason = this.#scheduler.abortReason as string;
      this.#emit({ type: "aborted", reason });
      this.#settle({ ok: false, error: new JobAbortedError(`job aborted: ${reason}`) });
    } else if (!wasDone && this.#scheduler.done) {
      const elapsedMs = this.#clock.now() - this.#startedAt;
      this.#emit({ type: "done", elapsedMs });
      this.#settle({ ok: true, summary: { ...this.#scheduler.progress, elapsedMs } });
    }
  }

  #emit(event: DistributiveOmit<CoordinatorEvent, "progress">): void {
    try {
      this.#onEvent({ ...event, progress: this.#scheduler.progress } as CoordinatorEvent);
    } catch {
      // A faulty listener must not turn into an RPC error for the worker.
    }
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
