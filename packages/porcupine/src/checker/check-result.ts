/** The verdict on a history. */
export type Verdict = "ok" | "illegal" | "unknown";

/** Why a check could not decide. */
export type UnknownReason = "timeout" | "memory";

/**
 * A linearizable prefix of a partition where the search got stuck: after these operations, in
 * this order, the return of `stuckOperation` comes before any continuation can linearize it.
 * Operation numbers are indices into the checked history.
 */
export interface PartialLinearization<State> {
  /** Operations in linearization order. */
  readonly operations: readonly number[];
  /** `states[i]` is the model state after `operations[i]`. */
  readonly states: readonly State[];
  /** The operation that cannot be linearized after the prefix before its return. */
  readonly stuckOperation: number;
}

/** What a check found about one partition. */
export interface PartitionResult<State> {
  /** Position of the partition in the model's partitioning. */
  readonly index: number;
  /** Operations of the partition: indices into the checked history, in history order. */
  readonly operations: readonly number[];
  /**
   * The partition's verdict; `"skipped"` when the check stopped before this partition was
   * decided, because another partition was already illegal or undecidable.
   */
  readonly result: Verdict | "skipped";
  /** Why the partition is `unknown`. */
  readonly reason?: UnknownReason;
  /** Search steps spent on the partition. */
  readonly steps: number;
  /** With `collectInfo`, for a linearizable partition: a valid order of its operations. */
  readonly linearization?: readonly number[];
  /**
   * With `collectInfo`, for an illegal partition: the longest linearizable prefixes found (the
   * same length, different sets of operations; at most a few) and where each got stuck.
   */
  readonly partialLinearizations?: readonly PartialLinearization<State>[];
}

/** The outcome of checking a history. */
export interface CheckResult<State> {
  /**
   * `ok`: linearizable. `illegal`: not linearizable (some partition is not). `unknown`: no
   * partition was found illegal, but some could not be decided within the limits.
   */
  readonly result: Verdict;
  /** Why the result is `unknown`. */
  readonly reason?: UnknownReason;
  /** One entry per partition, in the model's partition order. */
  readonly partitions: readonly PartitionResult<State>[];
  /** Number of operations checked. */
  readonly operations: number;
  /** Whether worker threads were used. */
  readonly parallel: boolean;
}
