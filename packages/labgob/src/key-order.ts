import { Fault } from "./fault.js";

const MAX_INDEX = 2 ** 32 - 2;

/** True for keys that JavaScript lists first, in numeric order: canonical array indices. */
export function isArrayIndex(key: string): boolean {
  const c = key.charCodeAt(0);
  if (!(c >= 48 && c <= 57) || key.length > 10) return false;
  if (key.length > 1 && c === 48) return false;
  for (let i = 1; i < key.length; i++) {
    const d = key.charCodeAt(i);
    if (d < 48 || d > 57) return false;
  }
  return Number(key) <= MAX_INDEX;
}

/**
 * Checks, key by key, that the keys of a decoded object arrive in the order `Object.keys` will
 * list them: array-index keys first in ascending order, then the rest. Any other order decodes
 * to an object whose key order differs from the wire, which would then re-encode differently, so
 * it is rejected as non-canonical. Duplicate keys are rejected too.
 */
export class KeyOrder {
  private lastIndex = -1;
  private named = false;

  check(key: string, target: object): void {
    if (Object.hasOwn(target, key)) throw new Fault(`duplicate key ${JSON.stringify(key)}`);
    if (isArrayIndex(key)) {
      const n = Number(key);
      if (this.named || n <= this.lastIndex) {
        throw new Fault(
          `key ${JSON.stringify(key)} is out of order: integer-like keys come first, ascending (non-canonical encoding)`,
        );
      }
      this.lastIndex = n;
    } else {
      this.named = true;
    }
  }
}
