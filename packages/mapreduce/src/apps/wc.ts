/**
 * Word count (the course's `wc`): map emits `(word, "1")` per word, reduce counts them.
 * @module
 */
import type { KeyValue } from "../app.js";
import { words } from "./words.js";

/** Emits `(word, "1")` for every word of the file. */
export function map(_filename: string, contents: string): KeyValue[] {
  const found = words(contents);
  const pairs: KeyValue[] = new Array(found.length);
  for (let i = 0; i < found.length; i++) pairs[i] = { key: found[i] as string, value: "1" };
  return pairs;
}

/** The number of occurrences. */
export function reduce(_key: string, values: readonly string[]): string {
  return String(values.length);
}
