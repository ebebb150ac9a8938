import type { MapReduceApp, TaskContext } from "../app.js";
import { AppOutputError } from "../errors.js";

/**
 * Calls the application's `map` and hands each pair it returned to `sink`, checking the shape
 * on the way: the pairs cross a file boundary as strings, so anything else is reported here,
 * naming the input, rather than surfacing as a confusing failure on the reduce side.
 */
export async function mapInto(
  app: MapReduceApp,
  filename: string,
  contents: string,
  context: TaskContext,
  sink: (key: string, value: string) => void,
): Promise<void> {
  const returned: unknown = await app.map(filename, contents, context);
  if (!Array.isArray(returned)) {
    throw new AppOutputError(
      `map(${JSON.stringify(filename)}) returned ${describe(returned)}, not an array of { key, value }`,
    );
  }
  for (let i = 0; i < returned.length; i++) {
    const pair: unknown = returned[i];
    const key = (pair as { key?: unknown } | null)?.key;
    const value = (pair as { value?: unknown } | null)?.value;
    if (typeof key !== "string" || typeof value !== "string") {
      throw new AppOutputError(
        `map(${JSON.stringify(filename)}) returned ${describe(pair)} at index ${i}, not a { key, value } pair of strings`,
      );
    }
    sink(key, value);
  }
}

/** Calls the application's `reduce` and checks that it returned a string. */
export async function reduceChecked(
  app: MapReduceApp,
  key: string,
  values: readonly string[],
  context: TaskContext,
): Promise<string> {
  const returned: unknown = await app.reduce(key, values, context);
  if (typeof returned !== "string") {
    throw new AppOutputError(
      `reduce(${JSON.stringify(key)}) returned ${describe(returned)}, not a string`,
    );
  }
  return returned;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return JSON.stringify(value)?.slice(0, 60) ?? "an object";
  return typeof value === "string"
    ? JSON.stringify(value.slice(0, 60))
    : `${typeof value} ${String(value)}`;
}
