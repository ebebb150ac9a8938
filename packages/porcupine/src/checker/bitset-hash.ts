/**
 * Zobrist keys for the set of linearized operations: one random 32-bit word per operation, and
 * the hash of a set is the XOR of its members' words. Adding or removing an operation is one
 * XOR, so the search keeps the hash of its current set up to date at no cost.
 *
 * The words come from a fixed-seed generator (splitmix32) so a check is deterministic: the same
 * history always takes the same path through the memo.
 */
export function zobristKeys(count: number): Int32Array {
  const keys = new Int32Array(count);
  let seed = 0x9e3779b9 | 0;
  for (let i = 0; i < count; i++) {
    seed = (seed + 0x9e3779b9) | 0;
    let z = seed;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    keys[i] = z ^ (z >>> 16);
  }
  return keys;
}

/** Number of 32-bit words a bitset of `count` members needs (at least one). */
export function wordsFor(count: number): number {
  return Math.max(1, (count + 31) >>> 5);
}
