import { KvUsageError } from "../errors.js";

type WellFormed = (this: string) => boolean;
const isWellFormed = (String.prototype as { isWellFormed?: WellFormed }).isWellFormed;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Checks that a key or value is a string that can cross the wire unchanged (UTF-8 has no
 * encoding for a lone UTF-16 surrogate), throwing {@link KvUsageError} naming `what` otherwise.
 */
export function checkText(what: string, value: unknown): asserts value is string {
  if (typeof value !== "string") {
    throw new KvUsageError(
      `${what} must be a string, got ${value === null ? "null" : typeof value}`,
    );
  }
  const wellFormed = isWellFormed ? isWellFormed.call(value) : !LONE_SURROGATE.test(value);
  if (!wellFormed) {
    throw new KvUsageError(`${what} contains a lone UTF-16 surrogate, which UTF-8 cannot carry`);
  }
}
