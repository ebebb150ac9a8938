import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import type { CheckResult, PartitionResult, UnknownReason } from "../checker/check-result.js";
import { combinePartitions } from "../checker/combine.js";
import { searchOrder, skippedPartition, toPartitionResult } from "../checker/partition-result.js";
import type { Partition } from "../checker/partitions.js";
import type { ResolvedLimits } from "../checker/resolve-limits.js";
import { WorkerFailureError } from "../errors.js";
import type { Model, PortableModel } from "../model.js";
import type { CheckJob, CheckJobReply } from "./messages.js";
import { startCheckWorker } from "./start-worker.js";

/**
 * With automatic parallelism, a history needs at least this many operations before workers are
 * used: starting a worker and loading the checker into it costs tens of milliseconds, more than
 * checking a typical recorded history takes on one thread.
 */
export const AUTO_PARALLEL_MIN_OPERATIONS = 20_000;

/** Extra time given to workers past the deadline before they are terminated. */
const TERMINATE_GRACE_MS = 200;

/** How many workers a check should use (1: check on the calling thread). */
export function workerCountFor(
  model: Model<unknown, unknown, unknown>,
  partitions: readonly Partition<unknown, unknown>[],
  operationCount: number,
  parallel: boolean | number | undefined,
): number {
  if (parallel === false || model.portable === undefined || partitions.length < 2) return 1;
  if (typeof parallel === "number") return Math.min(parallel, partitions.length);
  if (operationCount < AUTO_PARALLEL_MIN_OPERATIONS) return 1;
  return Math.min(availableParallelism(), partitions.length);
}

/**
 * Checks partitions in `workerCount` worker threads, smallest first, handing each idle worker
 * the next partition. Stops everything at the first illegal partition or at the deadline.
 */
export function checkInWorkers<State, Input, Output>(
  model: PortableModel,
  partitions: readonly Partition<Input, Output>[],
  operationCount: number,
  limits: ResolvedLimits,
  workerCount: number,
): Promise<CheckResult<State>> {
  const results: PartitionResult<State>[] = partitions.map((p) => skippedPartition<State>(p));
  const queue = searchOrder(partitions);
  const workers: Worker[] = [];
  let finished = false;
  let busy = 0;

  return new Promise<CheckResult<State>>((resolve, reject) => {
    const finish = (stoppedBy: UnknownReason | null, error?: Error): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      Promise.all(workers.map((w) => w.terminate())).then(
        () =>
          error
            ? reject(error)
            : resolve(combinePartitions(results, operationCount, true, stoppedBy)),
        reject,
      );
    };
    const remaining = limits.deadline - performance.now();
    const timer = Number.isFinite(remaining)
      ? setTimeout(() => finish("timeout"), Math.max(0, remaining) + TERMINATE_GRACE_MS)
      : undefined;

    const dispatch = (worker: Worker): void => {
      const next = queue.shift();
      if (next === undefined) {
        if (busy === 0) finish(null);
        return;
      }
      const left = limits.deadline - performance.now();
      const job: CheckJob = {
        partition: next,
        operations: partitions[next]!.operations,
        remainingMs: Number.isFinite(left) ? Math.max(0, left) : null,
      };
      busy++;
      worker.postMessage(job);
    };

    for (let i = 0; i < workerCount; i++) {
      const worker = startCheckWorker({
        model,
        memoryLimitBytes: limits.memoryLimitBytes,
        collectInfo: limits.collectInfo,
      });
      workers.push(worker);
      worker.on("message", (reply: CheckJobReply) => {
        busy--;
        if ("error" in reply) {
          finish(
            null,
            new WorkerFailureError(`checking partition ${reply.partition} failed: ${reply.error}`),
          );
          return;
        }
        const outcome = reply.outcome;
        results[reply.partition] = toPartitionResult(
          partitions[reply.partition]!,
          outcome,
        ) as PartitionResult<State>;
        if (outcome.result === "illegal") finish(null);
        else if (outcome.result === "unknown" && outcome.reason === "timeout") finish("timeout");
        else dispatch(worker);
      });
      worker.on("error", (error) =>
        finish(
          null,
          new WorkerFailureError(`check worker failed: ${error.message}`, { cause: error }),
        ),
      );
      worker.on("exit", (code) => {
        if (!finished)
          finish(null, new WorkerFailureError(`check worker exited early with code ${code}`));
      });
      dispatch(worker);
    }
  });
}
