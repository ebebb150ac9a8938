/** The FNV-1a hash of the empty string. */
export const FNV_OFFSET_BASIS = 0x811c9dc5 | 0;

/**
 * FNV-1a, 32 bits, over the UTF-16 code units of a string: a fast, decent hash for memo keys.
 * FNV is sequential, so the hash of `a + b` is `fnv1a32(b, fnv1a32(a))`: a growing string's hash
 * can be kept up to date by hashing only what is appended.
 */
export function fnv1a32(text: string, seed = FNV_OFFSET_BASIS): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  }
  return hash;
}
