import { MapReduceUsageError } from "../errors.js";

/**
 * Parses a duration option: `250ms`, `1.5s`, `2m`, or a bare number of seconds.
 * @throws MapReduceUsageError naming the option.
 */
export function parseDuration(option: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?|\.\d+)(ms|s|m)?$/.exec(text.trim());
  if (match === null) {
    throw new MapReduceUsageError(
      `${option} ${JSON.stringify(text)}: expected a duration like 500ms, 10s or 2m`,
    );
  }
  const value = Number(match[1]);
  const unit = match[2] ?? "s";
  return unit === "ms" ? value : unit === "s" ? value * 1000 : value * 60_000;
}

/** Parses a positive integer option. */
export function parseCount(option: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new MapReduceUsageError(`${option} ${JSON.stringify(text)}: expected an integer >= 1`);
  }
  return value;
}
