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

/** The default memory cap of a check: 1 GiB, or less when the heap limit is small. */
export function defaultMemoryLimitBytes(): number {
  const limit = getHeapStatistics().heap_size_limit;
  return Math.min(1024 ** 3, Math.floor(limit * 0.5));
}
