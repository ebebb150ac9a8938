import { KvError } from "../errors.js";

/**
 * Measures the memory a process holds, for the memory scenarios. Injected, so scenarios stay
 * free of runtime specifics; `nodeHeapProbe` is the Node implementation.
 */
export interface HeapProbe {
  /**
   * Collects all the garbage the runtime can collect, then resolves to the bytes the live objects
   * take: the JavaScript heap's objects and the array buffers they own.
   */
  measure(): Promise<number>;
}

/** A memory scenario was run without a way to measure memory. */
export class HeapProbeUnavailableError extends KvError {
  static override readonly code: string = "LAB_KV_HEAP_PROBE_UNAVAILABLE";
}
