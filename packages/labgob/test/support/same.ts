/**
 * Where `decoded` differs from `original`, as a path and a reason; `undefined` when they are the
 * same value in every way the codecs promise: numbers by `Object.is` (so `-0` and `NaN` count),
 * bytes by content (decoded as plain `Uint8Array`s), arrays elementwise, and objects as plain
 * objects with the same own keys. (vitest's `toStrictEqual` compares objects'
 * `constructor` properties, which misfires on data with a key named "constructor".)
 */
export function difference(original: unknown, decoded: unknown, path = "$"): string | undefined {
  if (typeof original !== "object" || original === null) {
    return Object.is(original, decoded)
      ? undefined
      : `${path}: ${String(decoded)} ≠ ${String(original)}`;
  }
  if (original instanceof Uint8Array) {
    if (!(decoded instanceof Uint8Array) || decoded.constructor !== Uint8Array) {
      return `${path}: not a plain Uint8Array`;
    }
    if (decoded.length !== original.length || decoded.some((b, i) => b !== original[i])) {
      return `${path}: bytes differ`;
    }
    return undefined;
  }
  if (Array.isArray(original)) {
    if (!Array.isArray(decoded) || decoded.length !== original.length)
      return `${path}: array differs`;
    for (let i = 0; i < original.length; i++) {
      const d = difference(original[i], decoded[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (
    typeof decoded !== "object" ||
    decoded === null ||
    Object.getPrototypeOf(decoded) !== Object.prototype
  ) {
    return `${path}: not a plain object`;
  }
  // Key sets, not order: a message's keys follow its schema, not the wire. The order of map
  // and Value keys is checked by re-encoding, which writes them in `Object.keys` order.
  const keys = Object.keys(original);
  const got = Object.keys(decoded);
  if ([...keys].sort().join("\u0000") !== [...got].sort().join("\u0000")) {
    return `${path}: keys ${got} ≠ ${keys}`;
  }
  for (const k of keys) {
    const d = difference(
      (original as Record<string, unknown>)[k],
      Object.getOwnPropertyDescriptor(decoded, k)?.value,
      `${path}.${k}`,
    );
    if (d) return d;
  }
  return undefined;
}
