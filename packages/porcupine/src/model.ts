import type { Operation } from "./history.js";

/**
 * Returned by {@link Model.step} when an operation cannot take effect in the given state with the
 * output it reported. A registered symbol, so two copies of the package agree on it.
 */
export const ILLEGAL: unique symbol = Symbol.for("@lab/porcupine.illegal") as never;

/** The type of {@link ILLEGAL}. */
export type Illegal = typeof ILLEGAL;

const NEXT_STATES: unique symbol = Symbol.for("@lab/porcupine.next-states") as never;

/**
 * Several possible next states of a nondeterministic step (for example a write whose outcome is
 * unknown: it may have happened or not). Build one with {@link nextStates}.
 */
export interface NextStates<State> {
  readonly [NEXT_STATES]: true;
  readonly states: readonly State[];
}

/**
 * Wraps the possible next states of a nondeterministic step. An empty list means the step is
 * illegal; one state is the same as returning the state itself.
 */
export function nextStates<State>(states: readonly State[]): NextStates<State> {
  return { [NEXT_STATES]: true, states };
}

/** True when a step result lists several possible next states. */
export function isNextStates<State>(result: StepResult<State>): result is NextStates<State> {
  return (
    typeof result === "object" &&
    result !== null &&
    (result as Partial<NextStates<State>>)[NEXT_STATES] === true
  );
}

/** What {@link Model.step} answers: the next state, several possible ones, or {@link ILLEGAL}. */
export type StepResult<State> = State | NextStates<State> | Illegal;

/**
 * A sequential specification of a system: what each operation may answer in each state, and how
 * it changes the state. The checker asks whether the operations of a concurrent history can be
 * put in one order, consistent with real time, that this specification accepts.
 *
 * States must be treated as immutable values: `step` returns new states and never changes the
 * one it is given, because the checker keeps old states to backtrack to.
 */
export interface Model<State, Input, Output> {
  /** The state before any operation. */
  init(): State;
  /**
   * Applies `input` to `state`, given that the operation answered `output`. Returns the next state
   * when that answer is possible, {@link nextStates} when several next states are possible, or
   * {@link ILLEGAL} when the answer is impossible in this state.
   */
  step(state: State, input: Input, output: Output): StepResult<State>;
  /** Equality of states; defaults to `Object.is`. */
  equal?(a: State, b: State): boolean;
  /**
   * A hash of a state, consistent with `equal` (equal states, equal hashes). Optional, but it
   * makes the search's memo much faster for models with many distinct states.
   */
  hash?(state: State): number;
  /**
   * Splits a history into independent sub-histories (P-compositionality: the history is
   * linearizable if and only if each part is). Must return the very operation objects it was
   * given, each in exactly one part. Without it the history is one partition.
   */
  partition?(
    history: readonly Operation<Input, Output>[],
  ): readonly (readonly Operation<Input, Output>[])[];
  /**
   * The output to use for an operation that never returned, when a history of events has a call
   * without a return. Without it such histories are rejected.
   */
  pendingOutput?(input: Input): Output;
  /** A short human-readable description of an operation, for reports. */
  describeOperation?(input: Input, output: Output): string;
  /** A short human-readable description of a state, for reports. */
  describeState?(state: State): string;
  /**
   * Where a worker thread can load this same model, so that partitions can be checked in
   * parallel. Models without it are always checked on the calling thread.
   */
  readonly portable?: PortableModel;
}

/**
 * How a worker thread finds a model: a built-in model by name, or a module (an absolute
 * `file:` URL or path) whose named export is the model or a function returning it.
 */
export type PortableModel =
  | {
      readonly kind: "builtin";
      readonly name: BuiltinModelName;
      /** The factory's options, as plain JSON (they travel to the worker). */
      readonly options?: Readonly<Record<string, string | number | boolean | null>>;
    }
  | { readonly kind: "module"; readonly url: string; readonly exportName: string };

/** Names of the models that ship with this package. */
export type BuiltinModelName = "kv" | "etcd" | "register";
