import { UsageError } from "./exit-codes.js";

/** Parses a command-line integer in `[min, Number.MAX_SAFE_INTEGER]`, naming the option on error. */
export function parseInteger(option: string, text: string, min: number): number {
  const value = /^-?\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`${option}: expected an integer >= ${min}, got "${text}"`);
  }
  return value;
}

/** Parses a command-line number (decimals allowed) in `[min, ∞)`, naming the option on error. */
export function parseNumber(option: string, text: string, min: number): number {
  const value = /^-?(\d+\.?\d*|\.\d+)$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value) || value < min) {
    throw new UsageError(`${option}: expected a number >= ${min}, got "${text}"`);
  }
  return value;
}
