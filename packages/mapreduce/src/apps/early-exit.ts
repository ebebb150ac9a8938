/**
 * Catches processes that exit before the job is finished (the course's `early_exit`): the
 * reduces of two keys take 3 s (scaled), so a worker or coordinator that leaves early leaves
 * before those outputs exist.
 * @module
 */
import { basename } from "node:path";
import type { KeyValue } from "../app.js";
import { sleepScaled } from "./timing.js";

/** Emits `(filename, "1")`. */
export function map(filename: string): KeyValue[] {
  return [{ key: filename, value: "1" }];
}

/**
 * The number of values, 3 s (scaled) late for the Sherlock Holmes and Tom Sawyer inputs. The
 * file's base name is tested, not the whole path, so a directory that happens to contain "tom"
 * does not slow every key down.
 */
export async function reduce(key: string, values: readonly string[]): Promise<string> {
  const name = basename(key);
  if (name.includes("sherlock") || name.includes("tom")) await sleepScaled(3000);
  return String(values.length);
}
