import type { Operation } from "../history.js";
import type { Model } from "../model.js";
import { checkInWorkers, workerCountFor } from "../parallel/worker-pool.js";
import type { CheckOptions } from "./check-options.js";
import type { CheckResult, PartitionResult, UnknownReason } from "./check-result.js";
import { combinePartitions } from "./combine.js";
import { searchOrder, skippedPartition, toPartitionResult } from "./partition-result.js";
import { type Partition, partitionHistory } from "./partitions.js";
import { type ResolvedLimits, resolveLimits } from "./resolve-limits.js";
import { searchPartition } from "./search.js";
import { validateOperations } from "./validate-history.js";

/**
 * Checks whether a history of operations is linearizable under `model`, on the calling thread.
 * Partitions are checked one after another, smallest first, and the check stops at the first
 * illegal one. Throws {@link InvalidHistoryError} for a malformed history.
 */
export function checkOperationsSync<State, Input, Output>(
  model: Model<State, Input, Output>,
  history: readonly Operation<Input, Output>[],
  options: CheckOptions = {},
): CheckResult<State> {
  const limits = resolveLimits(options, performance.now());
  validateOperations(history);
  const partitions = partitionHistory(model, history);
  return checkPartitionsHere(model, partitions, history.length, limits);
}

/**
 * Checks whether a history of operations is linearizable under `model`. Like
 * {@link checkOperationsSync}, but checks partitions in worker threads when that pays (see
 * {@link CheckOptions.parallel}); a timeout then terminates the workers.
 */
export async function checkOperations<State, Input, Output>(
  model: Model<State, Input, Output>,
  history: readonly Operation<Input, Output>[],
  options: CheckOptions = {},
): Promise<CheckResult<State>> {
  const limits = resolveLimits(options, performance.now());
  validateOperations(history);
  const partitions = partitionHistory(model, history);
  const workers = workerCountFor(model, partitions, history.length, options.parallel);
  if (workers < 2 || model.portable === undefined) {
    return checkPartitionsHere(model, partitions, history.length, limits);
  }
  return checkInWorkers<State, Input, Output>(
    model.portable,
    partitions,
    history.length,
    limits,
    workers,
  );
}

function checkPartitionsHere<State, Input, Output>(
  model: Model<State, Input, Output>,
  partitions: readonly Partition<Input, Output>[],
  operationCount: number,
  limits: ResolvedLimits,
): CheckResult<State> {
  const results: PartitionResult<State>[] = partitions.map((p) => skippedPartition<State>(p));
  let stoppedBy: UnknownReason | null = null;
  for (const i of searchOrder(partitions)) {
    const partition = partitions[i]!;
    const outcome = searchPartition(model, partition.operations, limits);
    results[i] = toPartitionResult(partition, outcome);
    if (outcome.result === "illegal") break;
    if (outcome.result === "unknown" && outcome.reason === "timeout") {
      stoppedBy = "timeout";
      break;
    }
  }
  return combinePartitions(results, operationCount, false, stoppedBy);
}
