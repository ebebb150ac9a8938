import { codecs, field, type Infer, message } from "@lab/labgob";
import { defineService } from "@lab/labrpc";

/**
 * What a worker is told to do:
 * - `map`: run map task `taskId` on `file` (read from `path`), writing `nReduce` buckets;
 * - `reduce`: run reduce task `taskId` over the `nMap` map outputs;
 * - `wait`: nothing to hand out yet (maps or reduces still running elsewhere); ask again;
 * - `exit`: the job is done;
 * - `abort`: the job failed (`reason` says why); exit with an error.
 */
export const TASK_KINDS = ["wait", "map", "reduce", "exit", "abort"] as const;

/** A worker's request for work. */
export const TaskRequest = message("TaskRequest", {
  /** For the coordinator's log: `host:pid`. */
  worker: field.string(1),
});
/** A worker's request for work. */
export type TaskRequest = Infer<typeof TaskRequest>;

/** The coordinator's answer to a {@link TaskRequest}. */
export const TaskReply = message("TaskReply", {
  kind: field.enum(TASK_KINDS, 1),
  taskId: field.uint(2),
  /** Which hand-out of this task this is (1 = first); echoed back in the report. */
  attempt: field.uint(3),
  /** Map: the input's name as given to the coordinator, passed to `map`. */
  file: field.string(4),
  /** Map: the input's absolute path on the shared file system. */
  path: field.string(5),
  nMap: field.uint(6),
  nReduce: field.uint(7),
  /** The job's shared directory (absolute). */
  workDir: field.string(8),
  /** Abort: why the job failed. */
  reason: field.string(9),
});
/** The coordinator's answer to a {@link TaskRequest}. */
export type TaskReply = Infer<typeof TaskReply>;

/** A worker's report that a task finished (`error` empty) or failed (`error` says how). */
export const TaskReport = message("TaskReport", {
  kind: field.enum(["map", "reduce"] as const, 1),
  taskId: field.uint(2),
  attempt: field.uint(3),
  worker: field.string(4),
  error: field.string(5),
});
/** A worker's report that a task finished or failed. */
export type TaskReport = Infer<typeof TaskReport>;

/**
 * The coordinator's RPC service. There is no heartbeat: like the course, the coordinator learns
 * of a dead worker only by its task not being reported within the task timeout.
 */
export const CoordinatorService = defineService("MapReduce", {
  RequestTask: { request: TaskRequest, reply: TaskReply },
  ReportTask: { request: TaskReport, reply: codecs.void },
});
