export {
  DEFAULT_COORDINATOR_ADDRESS,
  type Endpoint,
  formatEndpoint,
  parseEndpoint,
} from "./address.js";
export type { KeyValue, MapReduceApp, MaybePromise, TaskContext } from "./app.js";
export {
  isShippedAppName,
  type ShippedAppName,
  shippedAppNames,
  shippedApps,
} from "./apps/registry.js";
export { TIME_SCALE_ENV } from "./apps/timing.js";
export { type CliCommand, mapreduceCliCommand } from "./cli-command.js";
export {
  Coordinator,
  type CoordinatorEvent,
  type CoordinatorOptions,
  DEFAULT_N_REDUCE,
  DEFAULT_TASK_TIMEOUT_MS,
  type JobSummary,
} from "./coordinator.js";
export {
  AppLoadError,
  AppOutputError,
  CoordinatorUnreachableError,
  InputFileError,
  IntermediateFileError,
  JobAbortedError,
  MapReduceError,
  MapReduceUsageError,
  WorkersExitedError,
} from "./errors.js";
export { intermediateName, isOutputName, outputName } from "./files/naming.js";
export { ihash, reduceTaskOf } from "./ihash.js";
export { appFromModule, loadApp } from "./load-app.js";
export {
  createProgressReporter,
  type ProgressOutput,
  type ProgressReporter,
  statusLine,
} from "./progress.js";
export { CoordinatorService, TaskReply, TaskReport, TaskRequest } from "./protocol.js";
export { type JobRunResult, type RunJobOptions, runJob } from "./run-job.js";
export {
  type Assignment,
  type JobProgress,
  type Report,
  type ReportOutcome,
  type SchedulerOptions,
  type TaskKind,
  TaskScheduler,
} from "./scheduler.js";
export { runSequential, type SequentialOptions, type SequentialResult } from "./sequential.js";
export { runWorker, type WorkerEvent, type WorkerOptions, type WorkerResult } from "./worker.js";
