import {
  checkOperationsSync,
  ILLEGAL,
  type KvInput,
  type KvOutput,
  kvModel,
  type Model,
  type Operation,
  type StepResult,
} from "@lab/porcupine";

/**
 * Porcupine's kv model for one key whose final value is known: the state is how many characters
 * of `finalValue` the key holds, and every step that would leave the key holding something other
 * than a prefix of `finalValue` is illegal.
 *
 * Why: kvraft's Append answers nothing, so in a history of concurrent appends to one key only the
 * final Get orders them, and the plain kv model tries every interleaving of the clients before it
 * reaches that Get (for five clients of ten appends, about 10^31). It never accepts an order the
 * plain model rejects; for the histories that {@link finalValueHistoryProblem} accepts, it
 * accepts every order the plain model does, and prunes each wrong order at its first wrong
 * append.
 */
export function finalValueModel(finalValue: string): Model<number, KvInput, KvOutput> {
  const kv = kvModel();
  const holds = (state: number, value: string | undefined): boolean =>
    value === undefined || (value.length === state && finalValue.startsWith(value));
  return {
    init: () => 0,
    step(state: number, input: KvInput, output: KvOutput): StepResult<number> {
      switch (input.op) {
        case "get":
          return output.type === "unknown" || holds(state, output.value) ? state : ILLEGAL;
        case "put":
          return finalValue.startsWith(input.value) ? input.value.length : ILLEGAL;
        case "append":
          if (output.type === "ok" && !holds(state, output.value)) return ILLEGAL;
          return finalValue.startsWith(input.value, state) ? state + input.value.length : ILLEGAL;
      }
    },
    hash: (state) => state,
    ...(kv.describeOperation === undefined ? {} : { describeOperation: kv.describeOperation }),
    describeState: (state) => JSON.stringify(finalValue.slice(0, state)),
  };
}

/**
 * Why {@link finalValueModel} would not be exact for `history`, or `undefined` when it is.
 *
 * It is exact when every operation is on `key` and answered, there is one Put and one Get, the
 * Get read `finalValue`, and `finalValue` is as long as the Put's value and every append
 * together. Then in any order the plain model accepts, no append is lost under the Put or
 * linearized after the Get (the Get's value would be shorter), so the key goes from the Put's
 * value to the Get's by appends alone, which only grow it: every value along the way is a prefix
 * of `finalValue`, and this model accepts the same order. No condition on times is needed.
 */
export function finalValueHistoryProblem(
  history: readonly Operation<KvInput, KvOutput>[],
  key: string,
  finalValue: string,
): string | undefined {
  let puts = 0;
  let gets = 0;
  let length = 0;
  for (const op of history) {
    if (op.input.key !== key) return `an operation on key ${JSON.stringify(op.input.key)}`;
    if (op.output.type === "unknown") return "an unanswered operation";
    switch (op.input.op) {
      case "put":
        puts++;
        length += op.input.value.length;
        break;
      case "append":
        length += op.input.value.length;
        break;
      case "get":
        gets++;
        if (op.output.value !== finalValue) return "the get did not read the final value";
        break;
    }
  }
  if (puts !== 1) return `${puts} puts, not 1`;
  if (gets !== 1) return `${gets} gets, not 1`;
  if (length !== finalValue.length) {
    return `the final value has ${finalValue.length} characters, the put and the appends ${length}`;
  }
  return undefined;
}

/** The outcome of {@link checkAgainstFinalValue}. */
export type FinalValueVerdict =
  | { readonly result: "ok" }
  | { readonly result: "unknown"; readonly reason: string }
  | { readonly result: "illegal" }
  | { readonly result: "inexact"; readonly problem: string };

/**
 * Checks with porcupine that a history of appends to one key, between one Put and one final Get
 * that read `finalValue`, is linearizable (see {@link finalValueModel}).
 */
export function checkAgainstFinalValue(
  history: readonly Operation<KvInput, KvOutput>[],
  key: string,
  finalValue: string,
  budgetMs: number,
): FinalValueVerdict {
  const problem = finalValueHistoryProblem(history, key, finalValue);
  if (problem !== undefined) return { result: "inexact", problem };
  const check = checkOperationsSync(finalValueModel(finalValue), history, { timeoutMs: budgetMs });
  if (check.result === "unknown") return { result: "unknown", reason: check.reason ?? "limit" };
  return { result: check.result };
}
