import type { KeyValue } from "../app.js";
import { IntermediateFileError } from "../errors.js";

/**
 * Pairs per line of an intermediate file. Each line is one JSON array `[k1, v1, k2, v2, ...]`:
 * JSON keeps any key or value intact (newlines included), one native `JSON.stringify` per line
 * is far cheaper than one per pair, and bounded lines keep every string well below V8's maximum
 * string length however large a bucket grows.
 */
const PAIRS_PER_LINE = 8192;

/**
 * Collects one map task's pairs for one reduce task, flat (`key, value, key, value, ...`) so a
 * pair costs two array slots instead of an object.
 */
export class Bucket {
  readonly #flat: string[] = [];

  add(key: string, value: string): void {
    this.#flat.push(key, value);
  }

  get size(): number {
    return this.#flat.length / 2;
  }

  /** The bucket in the intermediate file format (empty string for an empty bucket). */
  encode(): string {
    const flat = this.#flat;
    const lines: string[] = [];
    for (let i = 0; i < flat.length; i += 2 * PAIRS_PER_LINE) {
      lines.push(JSON.stringify(flat.slice(i, i + 2 * PAIRS_PER_LINE)));
    }
    return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
  }
}

/**
 * Reads an intermediate file's text and hands each pair to `sink`. Throws
 * `IntermediateFileError` (naming `file`) for anything the map side would not have written.
 */
export function decodeIntermediate(
  text: string,
  file: string,
  sink: (key: string, value: string) => void,
): void {
  let start = 0;
  let lineNo = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    lineNo++;
    const line = text.slice(start, end);
    start = end + 1;
    let flat: unknown;
    try {
      flat = JSON.parse(line);
    } catch (error) {
      throw new IntermediateFileError(file, `line ${lineNo} is not JSON`, { cause: error });
    }
    if (!Array.isArray(flat) || flat.length % 2 !== 0) {
      throw new IntermediateFileError(file, `line ${lineNo} is not a [key, value, ...] array`);
    }
    for (let i = 0; i < flat.length; i += 2) {
      const key: unknown = flat[i];
      const value: unknown = flat[i + 1];
      if (typeof key !== "string" || typeof value !== "string") {
        throw new IntermediateFileError(
          file,
          `line ${lineNo} holds a pair that is not two strings`,
        );
      }
      sink(key, value);
    }
  }
}

/** Decodes a whole intermediate file into pairs (for tests and tools; tasks stream instead). */
export function parseIntermediate(text: string, file: string): KeyValue[] {
  const pairs: KeyValue[] = [];
  decodeIntermediate(text, file, (key, value) => pairs.push({ key, value }));
  return pairs;
}
