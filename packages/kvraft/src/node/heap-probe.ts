import { getHeapSnapshot, setFlagsFromString } from "node:v8";
import type { HeapProbe } from "../testing/heap-probe.js";

interface SnapshotShape {
  readonly snapshot: { readonly meta: { readonly node_fields: readonly string[] } };
  readonly nodes: readonly number[];
}

/**
 * The Node {@link HeapProbe}: takes a V8 heap snapshot (which first runs full garbage
 * collections) and adds up the sizes of every object in it, array buffers' backing stores
 * included.
 *
 * The exact one of the two Node probes: `process.memoryUsage().heapUsed` after `gc()`
 * ({@link nodeMemoryUsageProbe}, the default) counts the old space's allocated bytes, fragments
 * between live objects included, and on a loaded machine it was measured to swing by up to
 * 200 KB between two readings whose heap snapshots differed by 1.5 KB. The snapshot counts live
 * objects only, at a few hundred milliseconds per measurement.
 *
 * Creating the probe turns off V8's bytecode flushing for the rest of the process: V8 drops the
 * compiled bytecode of functions that have not run for a while (hundreds of them, a few hundred
 * KB, at moments that depend on how many collections happened), which would show as memory
 * freed by whatever ran between two measurements. Meant for test processes.
 */
export function nodeHeapProbe(): HeapProbe {
  setFlagsFromString("--no-flush-bytecode");
  return {
    async measure() {
      const stream = getHeapSnapshot();
      stream.setEncoding("utf8");
      const chunks: string[] = [];
      for await (const chunk of stream) chunks.push(chunk as string);
      const snapshot = JSON.parse(chunks.join("")) as SnapshotShape;
      const fields = snapshot.snapshot.meta.node_fields;
      const selfSize = fields.indexOf("self_size");
      const nodes = snapshot.nodes;
      let bytes = 0;
      for (let i = selfSize; i < nodes.length; i += fields.length) bytes += nodes[i] as number;
      return bytes;
    },
  };
}
