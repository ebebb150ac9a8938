const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * The course's `ihash`: 32-bit FNV-1a over the key's UTF-8 bytes, masked to 31 bits. A key goes
 * to reduce task `ihash(key) % nReduce`, so every worker (and every language) agrees on it.
 *
 * The UTF-8 bytes are produced inline rather than with a `TextEncoder`: this runs once per
 * emitted pair, and most keys are short ASCII words.
 */
export function ihash(key: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < key.length; i++) {
    let c = key.charCodeAt(i);
    if (c < 0x80) {
      hash = Math.imul(hash ^ c, FNV_PRIME);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < key.length) {
      const low = key.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    // A lone surrogate is encoded as U+FFFD, as Buffer.from(key, "utf8") does.
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x800) {
      hash = Math.imul(hash ^ (0xc0 | (c >> 6)), FNV_PRIME);
    } else if (c < 0x10000) {
      hash = Math.imul(hash ^ (0xe0 | (c >> 12)), FNV_PRIME);
      hash = Math.imul(hash ^ (0x80 | ((c >> 6) & 0x3f)), FNV_PRIME);
    } else {
      hash = Math.imul(hash ^ (0xf0 | (c >> 18)), FNV_PRIME);
      hash = Math.imul(hash ^ (0x80 | ((c >> 12) & 0x3f)), FNV_PRIME);
      hash = Math.imul(hash ^ (0x80 | ((c >> 6) & 0x3f)), FNV_PRIME);
    }
    hash = Math.imul(hash ^ (0x80 | (c & 0x3f)), FNV_PRIME);
  }
  return hash & 0x7fffffff;
}

/** The reduce task a key belongs to: `ihash(key) % nReduce`. */
export function reduceTaskOf(key: string, nReduce: number): number {
  return ihash(key) % nReduce;
}
