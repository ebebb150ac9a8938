import { InvalidHistoryError } from "../errors.js";
import type { Operation } from "../history.js";

/**
 * Rejects operations the checker cannot reason about: times that are not numbers, a call that
 * is not finite, a return before its call. Done before any search so a bad history is reported
 * as the caller's error and never turns into a wrong verdict.
 */
export function validateOperations(history: readonly Operation<unknown, unknown>[]): void {
  if (!Array.isArray(history))
    throw new InvalidHistoryError("a history must be an array of operations");
  for (let i = 0; i < history.length; i++) {
    const op: unknown = history[i];
    if (typeof op !== "object" || op === null) {
      throw new InvalidHistoryError(`operation ${i} is not an object`);
    }
    const { call, return: ret, clientId } = op as Partial<Operation<unknown, unknown>>;
    if (typeof clientId !== "number" && typeof clientId !== "string") {
      throw new InvalidHistoryError(`operation ${i}: clientId must be a number or a string`);
    }
    if (typeof call !== "number" || !Number.isFinite(call)) {
      throw new InvalidHistoryError(
        `operation ${i}: call time must be a finite number, got ${String(call)}`,
      );
    }
    if (typeof ret !== "number" || Number.isNaN(ret)) {
      throw new InvalidHistoryError(
        `operation ${i}: return time must be a number (Infinity for an operation that never returned), got ${String(ret)}`,
      );
    }
    if (ret < call) {
      throw new InvalidHistoryError(
        `operation ${i}: returns at ${ret}, before its call at ${call}`,
      );
    }
  }
}
