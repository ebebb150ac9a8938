/**
 * Reduce parallelism probe (the course's `rtiming`): every reduce reports how many workers were
 * reducing at the same time.
 * @module
 */
import type { KeyValue, TaskContext } from "../app.js";
import { nparallel } from "./nparallel.js";

/** Emits the keys `a` to `j`, each with `"1"`, for every file. */
export function map(): KeyValue[] {
  return [..."abcdefghij"].map((key) => ({ key, value: "1" }));
}

/** The number of workers reducing while this key was. */
export async function reduce(
  _key: string,
  _values: readonly string[],
  context: TaskContext,
): Promise<string> {
  return String(await nparallel("reduce", context.workDir));
}
