/**
 * True for objects whose prototype is `Object.prototype` or `null`: the only objects the codecs
 * accept as messages, maps and value objects. Class instances, `Date`, `Map` and the like carry
 * state that a plain copy of their own properties would silently lose.
 */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Sets an own, enumerable property even for the key `"__proto__"`, where plain assignment would
 * change the object's prototype instead (prototype pollution through decoded data).
 */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(obj, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  } else {
    obj[key] = value;
  }
}
