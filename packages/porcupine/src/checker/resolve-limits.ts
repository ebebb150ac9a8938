import { InvalidOptionError } from "../errors.js";
import type { CheckOptions } from "./check-options.js";
import { defaultMemoryLimitBytes, heapSizeLimit } from "./heap-guard.js";

/** Check options with defaults applied and values validated. */
export interface ResolvedLimits {
  /** `performance.now()` after which checking stops; Infinity for no timeout. */
  readonly deadline: number;
  readonly memoryLimitBytes: number;
  readonly collectInfo: boolean;
}

/** Validates the options at the boundary and applies defaults. */
export function resolveLimits(options: CheckOptions, start: number): ResolvedLimits {
  const { timeoutMs, memoryLimitBytes, collectInfo, parallel } = options;
  if (timeoutMs !== undefined && !(typeof timeoutMs === "number" && timeoutMs >= 0)) {
    throw new InvalidOptionError(
      `timeoutMs must be a non-negative number, got ${String(timeoutMs)}`,
    );
  }
  if (
    memoryLimitBytes !== undefined &&
    !(typeof memoryLimitBytes === "number" && memoryLimitBytes > 0)
  ) {
    throw new InvalidOptionError(
      `memoryLimitBytes must be a positive number, got ${String(memoryLimitBytes)}`,
    );
  }
  if (
    parallel !== undefined &&
    typeof parallel !== "boolean" &&
    !(typeof parallel === "number" && Number.isInteger(parallel) && parallel >= 1)
  ) {
    throw new InvalidOptionError(
      `parallel must be a boolean or a positive integer, got ${String(parallel)}`,
    );
  }
  return {
    deadline: timeoutMs === undefined ? Number.POSITIVE_INFINITY : start + timeoutMs,
    memoryLimitBytes: memoryLimitBytes ?? defaultMemoryLimitBytes(heapSizeLimit()),
    collectInfo: collectInfo ?? false,
  };
}
