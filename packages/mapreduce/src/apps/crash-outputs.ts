import type { KeyValue } from "../app.js";

/**
 * The pairs the `crash` and `nocrash` applications emit for one file: its name, the byte lengths
 * of its name and contents, and a constant. They depend only on the input, so every execution
 * of a map task, first or repeated, writes the same intermediate files.
 */
export function crashTestPairs(filename: string, contents: string): KeyValue[] {
  return [
    { key: "a", value: filename },
    { key: "b", value: String(Buffer.byteLength(filename)) },
    { key: "c", value: String(Buffer.byteLength(contents)) },
    { key: "d", value: "xyzzy" },
  ];
}

/** The values, sorted, joined by spaces. */
export function joinSorted(values: readonly string[]): string {
  return [...values].sort().join(" ");
}
