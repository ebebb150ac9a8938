import { RpcUsageError } from "../errors.js";
import { SeededRandom } from "../random.js";

/** Reconnect pacing: the wait after the n-th consecutive failed connect doubles up to a cap. */
export interface BackoffOptions {
  /** Wait after the first failed connect attempt, before jitter (default 50 ms). */
  readonly initialMs?: number;
  /** Largest wait, before jitter (default 2000 ms). */
  readonly maxMs?: number;
}

/** Default {@link BackoffOptions}. */
export const DEFAULT_BACKOFF: Required<BackoffOptions> = { initialMs: 50, maxMs: 2000 };

/**
 * Exponential backoff with "equal jitter": after `failures` consecutive failed attempts the wait
 * is `base = min(maxMs, initialMs * 2^(failures-1))` scaled by a factor in [0.5, 1]. Half of the
 * wait is guaranteed (so a storm of failing peers still backs off) and half is random (so many
 * clients that lost the same server do not reconnect in lockstep).
 */
export class Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly #random: () => number;

  /** @param random uniform numbers in [0, 1), injected so tests can fix the jitter. */
  constructor(options: BackoffOptions = {}, random: () => number = unseededJitter()) {
    const initialMs = options.initialMs ?? DEFAULT_BACKOFF.initialMs;
    const maxMs = options.maxMs ?? Math.max(DEFAULT_BACKOFF.maxMs, initialMs);
    if (!Number.isFinite(initialMs) || initialMs <= 0) {
      throw new RpcUsageError(`backoff.initialMs must be a positive number, got ${initialMs}`);
    }
    if (!Number.isFinite(maxMs) || maxMs < initialMs) {
      throw new RpcUsageError(
        `backoff.maxMs (${maxMs}) must be a number >= initialMs (${initialMs})`,
      );
    }
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.#random = random;
  }

  /** Milliseconds to wait after `failures` (>= 1) consecutive failed attempts. */
  delayMs(failures: number): number {
    // Cap the exponent too: 2^(failures-1) overflows to Infinity long before failures matters.
    const exponent = Math.min(Math.max(failures, 1) - 1, 52);
    const base = Math.min(this.maxMs, this.initialMs * 2 ** exponent);
    const unit = Math.min(Math.max(this.#random(), 0), 1);
    return base * (0.5 + 0.5 * unit);
  }
}

/**
 * Jitter for real deployments: a SeededRandom seeded from the platform's CSPRNG, so separate
 * processes do not share a schedule, while every random choice still goes through one injectable
 * generator type (DESIGN principle 2).
 */
function unseededJitter(): () => number {
  const seed = globalThis.crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
  const random = new SeededRandom(seed);
  return () => random.float();
}
