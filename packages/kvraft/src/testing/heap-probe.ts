import { KvError } from "../errors.js";

/**
 * Measures the memory a process holds, for the memory scenarios. Injected, so scenarios stay
 * free of runtime specifics. Node has two: `nodeMemoryUsageProbe` (`gc()` then
 * `process.memoryUsage()`, the course's way) and `nodeHeapProbe` (a heap snapshot's live objects,
 * exact and slower).
 */
export interface HeapProbe {
  /**
   * Collects all the garbage the runtime can collect, then resolves to the bytes the process's
   * JavaScript heap and the array buffers it owns take: exactly the live objects' sizes, or the
   * runtime's own count of used heap, which may include fragments between them (within a few
   * hundred KB). Scenarios compare differences of two measurements.
   */
  measure(): Promise<number>;
}

/** A memory scenario was run without a way to measure memory. */
export class HeapProbeUnavailableError extends KvError {
  static override readonly code: string = "LAB_KV_HEAP_PROBE_UNAVAILABLE";
}
