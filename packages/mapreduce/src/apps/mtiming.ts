/**
 * Map parallelism probe (the course's `mtiming`): each map records when this worker started it
 * and how many workers were mapping at that moment.
 * @module
 */
import type { KeyValue, TaskContext } from "../app.js";
import { nparallel } from "./nparallel.js";

/** Emits `times-<pid>` (start time, seconds) and `parallel-<pid>` (workers mapping at once). */
export async function map(
  _filename: string,
  _contents: string,
  context: TaskContext,
): Promise<KeyValue[]> {
  const started = (Date.now() / 1000).toFixed(1);
  const n = await nparallel("map", context.workDir);
  return [
    { key: `times-${process.pid}`, value: started },
    { key: `parallel-${process.pid}`, value: String(n) },
  ];
}

/** The values, sorted, joined by spaces. */
export function reduce(_key: string, values: readonly string[]): string {
  return [...values].sort().join(" ");
}
