import { RpcUsageError } from "./errors.js";

/**
 * Randomness, injected (DESIGN principle 2). Every method draws from a seeded stream, so a
 * scenario replays exactly from its seed. Only 32-bit integer arithmetic is used, which makes
 * the sequences identical on every platform and Node version.
 */
export interface Random {
  /** A uniformly distributed unsigned 32-bit integer. */
  nextU32(): number;
  /** A uniformly distributed integer in `[0, n)`; `n` is a positive safe integer ≤ 2^32. */
  int(n: number): number;
  /** A uniformly distributed integer in `[min, max]` (both inclusive). */
  intBetween(min: number, max: number): number;
  /** A float in `[0, 1)` with 32 bits of randomness. */
  float(): number;
  /** True with probability `numerator / denominator` (integers, exact). */
  chance(numerator: number, denominator: number): boolean;
  /**
   * An independent child stream, fixed by this stream's seed and `label`. Drawing from one
   * child never shifts another, so adding a draw in the workload leaves network decisions as
   * they were.
   */
  fork(label: string): Random;
}

/** splitmix32: a good 32-bit mixer, used to expand seeds into generator state. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Folds a safe integer into 32 bits so that seeds like 2^40 + 1 and 1 stay different. */
function fold64(seed: number): number {
  const high = Math.floor(seed / 0x1_0000_0000);
  if (high === 0) return seed | 0;
  return (seed | 0) ^ splitmix32({ s: high ^ 0x5bd1e995 });
}

/** FNV-1a over UTF-16 code units: turns a label into 32 bits for seeding child streams. */
function hashLabel(label: string, basis: number): number {
  let h = (0x811c9dc5 ^ basis) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * A seeded {@link Random} built on sfc32 (Chris Doty-Humphrey's small fast chaotic generator,
 * a public-domain algorithm), seeded through splitmix32.
 */
export class SeededRandom implements Random {
  /** The seed this stream was created from (child streams report their derived seed). */
  readonly seed: number;
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) {
      throw new RpcUsageError(`random seed must be a safe integer, got ${seed}`);
    }
    this.seed = seed;
    const state = { s: fold64(seed) };
    this.#a = splitmix32(state);
    this.#b = splitmix32(state);
    this.#c = splitmix32(state);
    this.#d = splitmix32(state) | 1;
    // Discard the first outputs: sfc32 mixes poorly during its first rounds.
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  nextU32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 0x1_0000_0000) {
      throw new RpcUsageError(`Random.int(n) needs an integer 1 <= n <= 2^32, got ${n}`);
    }
    // Rejection sampling removes the modulo bias; the loop almost never repeats.
    const limit = 0x1_0000_0000 - (0x1_0000_0000 % n);
    for (;;) {
      const x = this.nextU32();
      if (x < limit) return x % n;
    }
  }

  intBetween(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min) {
      throw new RpcUsageError(
        `Random.intBetween(min, max) needs integers min <= max, got ${min}, ${max}`,
      );
    }
    return min + this.int(max - min + 1);
  }

  float(): number {
    return this.nextU32() / 0x1_0000_0000;
  }

  chance(numerator: number, denominator: number): boolean {
    if (numerator <= 0) return false;
    if (numerator >= denominator) return true;
    return this.int(denominator) < numerator;
  }

  fork(label: string): SeededRandom {
    return new SeededRandom(hashLabel(label, this.nextForkBasis()));
  }

  // A fork's seed depends on the parent's seed and the label only, not on how many values the
  // parent has drawn, so forks can be created lazily without perturbing each other.
  private nextForkBasis(): number {
    return splitmix32({ s: fold64(this.seed) ^ 0x165667b1 });
  }
}
