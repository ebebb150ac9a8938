import { getHeapStatistics } from "node:v8";

/** Fraction of V8's heap limit past which a search stops rather than risk running out of memory. */
const HEAP_FRACTION = 0.85;

/**
 * True when the JavaScript heap is close to its limit. A safety net under the memo's own
 * estimate: whatever the estimate misses, the search ends with `unknown` instead of crashing the
 * process with an out-of-memory error.
 */
export function heapNearlyFull(): boolean {
  const heap = getHeapStatistics();
  return heap.used_heap_size > heap.heap_size_limit * HEAP_FRACTION;
}

/** The default memory cap of a check: 1 GiB, or half of the heap limit when that is smaller. */
export function defaultMemoryLimitBytes(heapSizeLimit: number): number {
  return Math.min(1024 ** 3, Math.floor(heapSizeLimit * 0.5));
}

/** V8's heap limit of this thread (fixed for the life of the isolate, so read once). */
export function heapSizeLimit(): number {
  heapLimitOfThisIsolate ??= getHeapStatistics().heap_size_limit;
  return heapLimitOfThisIsolate;
}

// A cache of a constant of the running isolate, not shared state: every copy of the package in
// the thread would read the same value.
let heapLimitOfThisIsolate: number | undefined;
