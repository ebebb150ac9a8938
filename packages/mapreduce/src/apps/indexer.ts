/**
 * Inverted index (the course's `indexer`): for each word, the documents it appears in.
 * @module
 */
import type { KeyValue } from "../app.js";
import { words } from "./words.js";

/** Emits `(word, document)` once per distinct word of the document. */
export function map(document: string, contents: string): KeyValue[] {
  return [...new Set(words(contents))].map((word) => ({ key: word, value: document }));
}

/** `"<count> <doc1>,<doc2>,..."` with the documents sorted. */
export function reduce(_key: string, values: readonly string[]): string {
  const documents = [...values].sort();
  return `${documents.length} ${documents.join(",")}`;
}
