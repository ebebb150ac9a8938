/**
 * The key/value map itself: string keys to string values, a missing key reading as `""`.
 *
 * A key whose value is `""` cannot be told apart from a missing one, so it is not stored: a
 * `put(k, "")` frees the key's old value and its map entry.
 *
 * Appends build the new value with `+`. In V8 that makes a rope (a cons string pointing at the old
 * value and the appended text) instead of copying the old value, so an append costs O(appended
 * text) and the old value it returns shares its characters with the new value instead of being a
 * second copy. Anything that reads a rope's characters (encoding it for a reply, comparing it)
 * flattens it in place, once, and the flat copy replaces the pieces; a value is thus never held
 * twice. Holding on to an old value is the caller's choice (the duplicate table keeps one per
 * clerk, briefly).
 */
export class KvStore {
  readonly #values = new Map<string, string>();

  /** The value of `key`, `""` when it was never written (or last written with `""`). */
  get(key: string): string {
    return this.#values.get(key) ?? "";
  }

  /** Sets `key` to `value`. */
  put(key: string, value: string): void {
    if (value === "") this.#values.delete(key);
    else this.#values.set(key, value);
  }

  /** Appends `arg` to the value of `key` and returns the value before the append. */
  append(key: string, arg: string): string {
    const old = this.get(key);
    if (arg !== "") this.#values.set(key, old + arg);
    return old;
  }

  /** Every key with a non-empty value and its value, in insertion order. */
  entries(): IterableIterator<[string, string]> {
    return this.#values.entries();
  }

  /** Number of keys with a non-empty value. */
  get size(): number {
    return this.#values.size;
  }

  /** Total length (UTF-16 code units) of the stored values. */
  valueChars(): number {
    let n = 0;
    for (const v of this.#values.values()) n += v.length;
    return n;
  }
}
