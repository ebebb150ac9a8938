import type { CheckResult, PartitionResult, UnknownReason, Verdict } from "./check-result.js";

/**
 * The verdict on a whole history from its partitions' verdicts: illegal if any partition is
 * illegal (P-compositionality), else unknown if any is undecided, else ok.
 */
export function combinePartitions<State>(
  partitions: readonly PartitionResult<State>[],
  operations: number,
  parallel: boolean,
  stoppedBy: UnknownReason | null,
): CheckResult<State> {
  let result: Verdict = "ok";
  let reason: UnknownReason | null = stoppedBy;
  for (const p of partitions) {
    if (p.result === "illegal") {
      result = "illegal";
      break;
    }
    if (p.result === "unknown" || p.result === "skipped") {
      result = "unknown";
      reason ??= p.reason ?? "timeout";
    }
  }
  if (result === "unknown" && reason === null) reason = "timeout";
  return result === "unknown"
    ? { result, reason: reason ?? "timeout", partitions, operations, parallel }
    : { result, partitions, operations, parallel };
}
