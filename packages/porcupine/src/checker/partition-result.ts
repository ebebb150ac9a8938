import type { PartitionResult } from "./check-result.js";
import type { Partition } from "./partitions.js";
import type { SearchOutcome } from "./search.js";

/** Translates a partition search's outcome from partition-local to history-wide indices. */
export function toPartitionResult<State>(
  partition: Partition<unknown, unknown>,
  outcome: SearchOutcome<State>,
): PartitionResult<State> {
  const global = (local: number): number => partition.indices[local]!;
  const base = { index: partition.index, operations: partition.indices, steps: outcome.steps };
  switch (outcome.result) {
    case "ok":
      return outcome.linearization
        ? { ...base, result: "ok", linearization: outcome.linearization.map(global) }
        : { ...base, result: "ok" };
    case "illegal":
      return outcome.partial
        ? {
            ...base,
            result: "illegal",
            partialLinearizations: outcome.partial.map((p) => ({
              operations: p.operations.map(global),
              states: p.states,
              stuckOperation: global(p.stuckOperation),
            })),
          }
        : { ...base, result: "illegal" };
    case "unknown":
      return { ...base, result: "unknown", reason: outcome.reason };
  }
}

/** The result of a partition the check never decided. */
export function skippedPartition<State>(
  partition: Partition<unknown, unknown>,
): PartitionResult<State> {
  return { index: partition.index, operations: partition.indices, result: "skipped", steps: 0 };
}

/**
 * Order in which partitions are searched: smallest first, because an illegal small partition is
 * usually found fast and ends the whole check, while a big one may take long either way.
 */
export function searchOrder(partitions: readonly Partition<unknown, unknown>[]): number[] {
  return partitions
    .map((_, i) => i)
    .sort((a, b) => partitions[a]!.operations.length - partitions[b]!.operations.length || a - b);
}
