import type { KvInput, KvOutput, Operation } from "../src/index.js";
import { op } from "./helpers.js";

/**
 * `n` appends to `key`, all concurrent, then a get that sees a value no order of them produces.
 * Proving it illegal means trying every order of the appends: about e·n! (set, state) pairs,
 * far beyond any memory for n around 12. The kind of history that made the reference checker
 * use over 20 GB.
 */
export function explodingKvPartition(
  key: string,
  n: number,
  clientBase = 0,
): Operation<KvInput, KvOutput>[] {
  const history: Operation<KvInput, KvOutput>[] = [];
  for (let i = 0; i < n; i++) {
    history.push(
      op(clientBase + i, 0, 100, { op: "append", key, value: `<${i}>` }, { type: "ok" }),
    );
  }
  history.push(
    op(clientBase + n, 101, 102, { op: "get", key }, { type: "ok", value: "impossible" }),
  );
  return history;
}
