import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { HeapProbe } from "../testing/heap-probe.js";

/** Node's `gc()` as `--expose-gc` exposes it. */
type CollectGarbage = () => void;

/**
 * Node's `gc()`: the global one when the process was started with `--expose-gc`, otherwise the
 * same V8 flag turned on now. A fresh context created after the flag is set has `gc` as a
 * global, while this context's globals were fixed at startup.
 */
function collectGarbageFunction(): CollectGarbage {
  const global = (globalThis as { gc?: unknown }).gc;
  if (typeof global === "function") return global as CollectGarbage;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as CollectGarbage;
}

/** Full collections at most per measurement; in practice the reading settles after two or three. */
const MAX_COLLECTIONS = 8;

/** What the probe counts: the JavaScript heap plus the buffers' backing stores outside it. */
function usedBytes(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/**
 * The {@link HeapProbe} the course's own memory tests correspond to: full garbage collections
 * with node's `gc()` (`--expose-gc`), then `process.memoryUsage()`, counting `heapUsed` (the
 * JavaScript heap) plus `arrayBuffers` (the backing stores of buffers, which live outside it).
 *
 * It collects until that sum stops falling, and waits a turn of the event loop after each
 * collection before reading, so that objects only reachable from finalizers or pending
 * callbacks of the last round are freed too. The result is the lowest reading: a collection
 * only frees, so a higher one afterwards is what ran in between allocating.
 *
 * Cheaper than {@link nodeHeapProbe} (milliseconds against a few hundred per measurement), and
 * coarser: `heapUsed` counts the pages' allocated bytes, fragments between live objects included,
 * so two readings of the same live heap can differ by up to a few hundred KB on a busy machine.
 * The course's bounds are megabytes (or, per clerk, 100,000 clerks times bytes), far above that.
 *
 * Like the snapshot probe it turns off V8's bytecode flushing, which would otherwise free
 * compiled code at unpredictable moments. Meant for test processes.
 */
export function nodeMemoryUsageProbe(): HeapProbe {
  setFlagsFromString("--no-flush-bytecode");
  const collect = collectGarbageFunction();
  return {
    async measure() {
      let lowest = Number.POSITIVE_INFINITY;
      for (let i = 0; i < MAX_COLLECTIONS; i++) {
        collect();
        await new Promise<void>((resolve) => setImmediate(resolve));
        const reading = usedBytes();
        if (reading >= lowest) break;
        lowest = reading;
      }
      return lowest;
    },
  };
}
