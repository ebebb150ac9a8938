import { ModelContractError } from "../errors.js";
import type { Operation } from "../history.js";
import type { Model } from "../model.js";

/** One independent sub-history: its operations and their indices in the whole history. */
export interface Partition<Input, Output> {
  readonly index: number;
  readonly operations: readonly Operation<Input, Output>[];
  /** `indices[i]` is the position of `operations[i]` in the whole history. */
  readonly indices: readonly number[];
}

/**
 * Splits a history with the model's `partition` (one partition without it) and checks the model
 * kept its contract: every operation of the history in exactly one part, no strangers.
 */
export function partitionHistory<State, Input, Output>(
  model: Model<State, Input, Output>,
  history: readonly Operation<Input, Output>[],
): Partition<Input, Output>[] {
  if (!model.partition) {
    return [{ index: 0, operations: history, indices: history.map((_, i) => i) }];
  }
  const parts = model.partition(history);
  const position = new Map<Operation<Input, Output>, number>();
  for (let i = 0; i < history.length; i++) position.set(history[i]!, i);
  const used = new Uint8Array(history.length);
  const partitions: Partition<Input, Output>[] = [];
  for (const part of parts) {
    const indices = part.map((op) => {
      const i = position.get(op);
      if (i === undefined) {
        throw new ModelContractError(
          "model.partition returned an operation that is not in the history (it must return the very objects it is given, not copies)",
        );
      }
      if (used[i] === 1) {
        throw new ModelContractError(
          `model.partition put operation ${i} in more than one partition`,
        );
      }
      used[i] = 1;
      return i;
    });
    if (part.length > 0) partitions.push({ index: partitions.length, operations: part, indices });
  }
  const missing = used.indexOf(0);
  if (missing >= 0) {
    throw new ModelContractError(
      `model.partition left operation ${missing} out of every partition`,
    );
  }
  return partitions;
}
