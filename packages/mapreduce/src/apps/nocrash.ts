/**
 * The crash test's reference (the course's `nocrash`): `crash` without the crashes and stalls.
 * @module
 */
import type { KeyValue } from "../app.js";
import { crashTestPairs, joinSorted } from "./crash-outputs.js";

/** The file's name, the lengths of its name and contents, and a constant. */
export function map(filename: string, contents: string): KeyValue[] {
  return crashTestPairs(filename, contents);
}

/** The values, sorted, joined by spaces. */
export function reduce(_key: string, values: readonly string[]): string {
  return joinSorted(values);
}
