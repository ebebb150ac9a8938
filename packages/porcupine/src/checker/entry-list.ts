import type { Operation } from "../history.js";

/**
 * The history of one partition as a doubly linked list of call and return entries in time order,
 * stored in typed arrays. Node 0 is the head sentinel and node `2n + 1` the tail sentinel.
 * "Lifting" an operation unlinks its call and return in O(1); "unlifting" relinks them, and
 * because the search unlifts in the reverse order of lifting, relinking is exact (the dancing
 * links trick).
 *
 * Ordering at equal times: calls come before returns, so operations that touch at the same
 * instant count as concurrent (the less strict reading, which never reports a violation that
 * depends on how two equal clock readings are ordered). Among calls, or among returns, at the
 * same time the order does not change the verdict; history order is used so runs are repeatable.
 */
export class EntryList {
  /** Index of the tail sentinel. */
  readonly tail: number;
  /** Next node of each node. */
  readonly next: Int32Array;
  /** Previous node of each node. */
  readonly prev: Int32Array;
  /** Operation (index into the partition) of each node. */
  readonly operationOf: Int32Array;
  /** 1 for a call node, 0 for a return node. */
  readonly isCall: Uint8Array;
  /** Call node of each operation. */
  readonly callNode: Int32Array;
  /** Return node of each operation. */
  readonly returnNode: Int32Array;

  constructor(operations: readonly Operation<unknown, unknown>[]) {
    const n = operations.length;
    const calls = new Float64Array(n);
    const returns = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      calls[i] = operations[i]!.call;
      returns[i] = operations[i]!.return;
    }
    // Calls and returns are sorted apart, then merged: recorded histories list operations in
    // call order, so the first sort meets sorted input and the second nearly sorted input.
    const byCall = ascendingBy(calls);
    const byReturn = ascendingBy(returns);
    // Event e < n is the call of operation e; e >= n is the return of operation e - n.
    const events = new Int32Array(2 * n);
    for (let k = 0, i = 0, j = 0; k < 2 * n; k++) {
      const c = byCall[i];
      const r = byReturn[j]!;
      // At equal times the call goes first (operations that touch are concurrent).
      if (c !== undefined && calls[c]! <= returns[r]!) {
        events[k] = c;
        i++;
      } else {
        events[k] = n + r;
        j++;
      }
    }
    this.tail = 2 * n + 1;
    this.next = new Int32Array(2 * n + 2);
    this.prev = new Int32Array(2 * n + 2);
    this.operationOf = new Int32Array(2 * n + 2);
    this.isCall = new Uint8Array(2 * n + 2);
    this.callNode = new Int32Array(n);
    this.returnNode = new Int32Array(n);
    for (let k = 0; k < 2 * n; k++) {
      const node = k + 1;
      const event = events[k]!;
      const call = event < n;
      const op = call ? event : event - n;
      this.operationOf[node] = op;
      this.isCall[node] = call ? 1 : 0;
      if (call) this.callNode[op] = node;
      else this.returnNode[op] = node;
    }
    for (let node = 0; node <= 2 * n; node++) {
      this.next[node] = node + 1;
      this.prev[node + 1] = node;
    }
    this.prev[0] = 0;
    this.next[this.tail] = this.tail;
  }

  /** Unlinks the call and the return of `op`. */
  lift(op: number): void {
    const next = this.next;
    const prev = this.prev;
    const c = this.callNode[op]!;
    const r = this.returnNode[op]!;
    next[prev[c]!] = next[c]!;
    prev[next[c]!] = prev[c]!;
    next[prev[r]!] = next[r]!;
    prev[next[r]!] = prev[r]!;
  }

  /** Relinks the call and the return of `op`; must undo the latest `lift` still in force. */
  unlift(op: number): void {
    const next = this.next;
    const prev = this.prev;
    const c = this.callNode[op]!;
    const r = this.returnNode[op]!;
    prev[next[r]!] = r;
    next[prev[r]!] = r;
    prev[next[c]!] = c;
    next[prev[c]!] = c;
  }
}

/** Indices of `times` in ascending order of time, ties in index order. */
function ascendingBy(times: Float64Array): number[] {
  const order = Array.from({ length: times.length }, (_, i) => i);
  return order.sort((a, b) => {
    const ta = times[a]!;
    const tb = times[b]!;
    return ta < tb ? -1 : ta > tb ? 1 : a - b;
  });
}
