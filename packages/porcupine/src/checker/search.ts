import type { Operation } from "../history.js";
import { ILLEGAL, isNextStates, type Model, type StepResult } from "../model.js";
import { wordsFor, zobristKeys } from "./bitset-hash.js";
import { EntryList } from "./entry-list.js";
import { heapNearlyFull } from "./heap-guard.js";
import { LinearizationMemo } from "./memo.js";

/** Limits and switches of one partition search. */
export interface SearchLimits {
  /** `performance.now()` value after which the search gives up with `unknown`. */
  readonly deadline: number;
  /** The memo may hold about this many bytes before the search gives up with `unknown`. */
  readonly memoryLimitBytes: number;
  /** Record the linearization (legal) or the longest linearizable prefixes (illegal). */
  readonly collectInfo: boolean;
}

/** A linearizable prefix where the search got stuck (indices into the partition). */
export interface LocalPartialLinearization<State> {
  /** Operations in linearization order. */
  readonly operations: readonly number[];
  /** `states[i]` is the model state after `operations[i]`. */
  readonly states: readonly State[];
  /** The operation whose return was reached before it could be linearized after this prefix. */
  readonly stuckOperation: number;
}

/** What one partition search found. */
export type SearchOutcome<State> =
  | { readonly result: "ok"; readonly steps: number; readonly linearization?: readonly number[] }
  | {
      readonly result: "illegal";
      readonly steps: number;
      readonly partial?: readonly LocalPartialLinearization<State>[];
    }
  | { readonly result: "unknown"; readonly reason: "timeout" | "memory"; readonly steps: number };

/** At most this many distinct longest prefixes are kept for a report. */
const MAX_PARTIAL_LINEARIZATIONS = 8;
/** Clock, memory and heap are looked at every this many steps (a power of two, minus one). */
const CHECK_EVERY_MASK = 1023;
/** The V8 heap is looked at every this many steps (it costs more than the clock). */
const HEAP_CHECK_EVERY_MASK = 65535;

/**
 * Decides whether one partition's operations are linearizable under `model`: a depth-first
 * search over the linked list of calls and returns (Wing & Gong), pruned by a memo of
 * (linearized set, state) pairs (Lowe). At each point the search tries to linearize the next
 * call whose step is legal; reaching a return means the operation of that return must already
 * have been linearized, so the search backtracks.
 */
export function searchPartition<State, Input, Output>(
  model: Model<State, Input, Output>,
  operations: readonly Operation<Input, Output>[],
  limits: SearchLimits,
): SearchOutcome<State> {
  const n = operations.length;
  if (n === 0)
    return limits.collectInfo
      ? { result: "ok", steps: 0, linearization: [] }
      : { result: "ok", steps: 0 };

  const inputs = operations.map((op) => op.input);
  const outputs = operations.map((op) => op.output);
  const list = new EntryList(operations);
  const { next, isCall, operationOf, callNode, tail } = list;
  const words = wordsFor(n);
  const linearized = new Uint32Array(words);
  const zobrist = zobristKeys(n);
  const equal = model.equal ? model.equal.bind(model) : Object.is;
  const hasHash = model.hash !== undefined;
  // Small histories reach few pairs; a big first allocation would cost more than their search.
  const memo = new LinearizationMemo<State>(words, equal, Math.min(4096, 8 * n));
  // Module bindings are read once: in some module formats each read of an import is a getter call.
  const illegal = ILLEGAL;
  const isBranching = isNextStates;

  // The stack of linearized operations, with the state before each and, for nondeterministic
  // steps, the alternatives not tried yet.
  const stackOp = new Int32Array(n);
  const stackState = new Array<State>(n);
  const stackAlternatives = new Array<readonly State[] | null>(n).fill(null);
  const stackNextAlternative = new Int32Array(n);
  let depth = 0;

  let setHash = 0;
  let state = model.init();
  let node = next[0]!;
  let steps = 0;

  // Methods are called on the model itself (not through bound copies) so V8 can inline them.
  const memoKey = (s: State): number =>
    hasHash ? setHash ^ Math.imul(model.hash!(s) | 0, 0x9e3779b1) : setHash;

  let bestDepth = -1;
  const partial: LocalPartialLinearization<State>[] = [];
  const partialSets: Uint32Array[] = [];
  const recordStuck = (stuck: number): void => {
    if (depth < bestDepth) return;
    if (depth > bestDepth) {
      bestDepth = depth;
      partial.length = 0;
      partialSets.length = 0;
    } else if (partial.length >= MAX_PARTIAL_LINEARIZATIONS || seen(partialSets, linearized)) {
      return;
    }
    const ops = Array.from(stackOp.subarray(0, depth));
    const states = ops.map((_, i) => (i + 1 < depth ? stackState[i + 1]! : state));
    partial.push({ operations: ops, states, stuckOperation: stuck });
    partialSets.push(linearized.slice());
  };

  for (;;) {
    if (node === tail) {
      return limits.collectInfo
        ? { result: "ok", steps, linearization: Array.from(stackOp.subarray(0, depth)) }
        : { result: "ok", steps };
    }
    steps++;
    if ((steps & CHECK_EVERY_MASK) === 0) {
      if (performance.now() > limits.deadline)
        return { result: "unknown", reason: "timeout", steps };
      if (memo.estimatedBytes > limits.memoryLimitBytes)
        return { result: "unknown", reason: "memory", steps };
      if ((steps & HEAP_CHECK_EVERY_MASK) === 0 && heapNearlyFull()) {
        return { result: "unknown", reason: "memory", steps };
      }
    }

    if (isCall[node] === 1) {
      const op = operationOf[node]!;
      const result: StepResult<State> = model.step(state, inputs[op]!, outputs[op]!);
      if (result === illegal) {
        node = next[node]!;
        continue;
      }
      linearized[op >>> 5]! |= 1 << (op & 31);
      setHash ^= zobrist[op]!;
      if (typeof result === "object" && result !== null && isBranching(result)) {
        const alternatives = result.states;
        let chosen = -1;
        for (let i = 0; i < alternatives.length; i++) {
          if (memo.addIfAbsent(linearized, memoKey(alternatives[i]!), alternatives[i]!)) {
            chosen = i;
            break;
          }
        }
        if (chosen < 0) {
          linearized[op >>> 5]! &= ~(1 << (op & 31));
          setHash ^= zobrist[op]!;
          node = next[node]!;
          continue;
        }
        stackOp[depth] = op;
        stackState[depth] = state;
        stackAlternatives[depth] = alternatives;
        stackNextAlternative[depth] = chosen + 1;
        depth++;
        state = alternatives[chosen]!;
      } else {
        const nextState = result as State;
        if (!memo.addIfAbsent(linearized, memoKey(nextState), nextState)) {
          linearized[op >>> 5]! &= ~(1 << (op & 31));
          setHash ^= zobrist[op]!;
          node = next[node]!;
          continue;
        }
        stackOp[depth] = op;
        stackState[depth] = state;
        stackAlternatives[depth] = null;
        depth++;
        state = nextState;
      }
      list.lift(op);
      node = next[0]!;
      continue;
    }

    // A return of an operation not linearized yet: this prefix is a dead end.
    if (limits.collectInfo) recordStuck(operationOf[node]!);
    let resumed = false;
    while (!resumed) {
      if (depth === 0) {
        return limits.collectInfo
          ? { result: "illegal", steps, partial }
          : { result: "illegal", steps };
      }
      depth--;
      const op = stackOp[depth]!;
      const alternatives = stackAlternatives[depth];
      if (alternatives) {
        // Another possible next state of the same step, before giving up on the operation.
        for (let i = stackNextAlternative[depth]!; i < alternatives.length; i++) {
          if (memo.addIfAbsent(linearized, memoKey(alternatives[i]!), alternatives[i]!)) {
            stackNextAlternative[depth] = i + 1;
            depth++;
            state = alternatives[i]!;
            node = next[0]!;
            resumed = true;
            break;
          }
        }
        if (resumed) break;
        stackAlternatives[depth] = null;
      }
      state = stackState[depth]!;
      linearized[op >>> 5]! &= ~(1 << (op & 31));
      setHash ^= zobrist[op]!;
      list.unlift(op);
      node = next[callNode[op]!]!;
      resumed = true;
    }
  }
}

function seen(sets: readonly Uint32Array[], set: Uint32Array): boolean {
  return sets.some((s) => s.every((word, i) => word === set[i]));
}
