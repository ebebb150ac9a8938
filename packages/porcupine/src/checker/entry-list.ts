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
    const events = new Array<number>(2 * n);
    const times = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const op = operations[i]!;
      events[i] = i;
      events[n + i] = n + i;
      times[i] = op.call;
      times[n + i] = op.return;
    }
    // Event e < n is the call of operation e; e >= n is the return of operation e - n.
    events.sort((a, b) => {
      const dt = times[a]! - times[b]!;
      if (dt !== 0 && !Number.isNaN(dt)) return dt;
      const aIsReturn = a >= n ? 1 : 0;
      const bIsReturn = b >= n ? 1 : 0;
      if (aIsReturn !== bIsReturn) return aIsReturn - bIsReturn;
      return a - b;
    });
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
