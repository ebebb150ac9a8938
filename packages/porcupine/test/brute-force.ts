import { ILLEGAL, isNextStates, type Model, type Operation } from "../src/index.js";

/**
 * The definition of linearizability, executed literally: try every order of the operations that
 * respects real time (a before b when a returned strictly before b was called), stepping the
 * model through the set of states it can be in. Exponential; for small histories only.
 */
export function bruteForceLinearizable<S, I, O>(
  model: Model<S, I, O>,
  history: readonly Operation<I, O>[],
): boolean {
  const equal = model.equal ?? Object.is;
  const n = history.length;
  const used = new Array<boolean>(n).fill(false);
  const explore = (states: readonly S[], placed: number): boolean => {
    if (placed === n) return true;
    for (let i = 0; i < n; i++) {
      if (used[i]) continue;
      const candidate = history[i]!;
      // Every other unplaced operation that returned before this one was called must come first.
      const blocked = history.some(
        (other, j) => j !== i && !used[j] && other.return < candidate.call,
      );
      if (blocked) continue;
      const next: S[] = [];
      for (const s of states) {
        const r = model.step(s, candidate.input, candidate.output);
        const options = r === ILLEGAL ? [] : isNextStates(r) ? r.states : [r as S];
        for (const o of options) if (!next.some((x) => equal(x, o))) next.push(o);
      }
      if (next.length === 0) continue;
      used[i] = true;
      const found = explore(next, placed + 1);
      used[i] = false;
      if (found) return true;
    }
    return false;
  };
  return explore([model.init()], 0);
}

/**
 * Replays `order` (indices into `history`) through the model, following every possible next
 * state, and checks real time: true when it is a legal sequence of those operations.
 */
export function isLegalSequence<S, I, O>(
  model: Model<S, I, O>,
  history: readonly Operation<I, O>[],
  order: readonly number[],
): boolean {
  for (let a = 0; a < order.length; a++) {
    for (let b = a + 1; b < order.length; b++) {
      if (history[order[b]!]!.return < history[order[a]!]!.call) return false;
    }
  }
  let states: S[] = [model.init()];
  for (const i of order) {
    const op = history[i]!;
    states = states.flatMap((s) => {
      const r = model.step(s, op.input, op.output);
      return r === ILLEGAL ? [] : isNextStates(r) ? [...r.states] : [r as S];
    });
    if (states.length === 0) return false;
  }
  return true;
}
