import { CodecError, type CodecOperation } from "./codec-error.js";

/**
 * Internal: a codec failure on its way up to the codec's entry point.
 *
 * Paths are built lazily: the innermost code throws a `Fault` with just a reason, and each
 * enclosing container (message field, array element, object key) appends its own segment as the
 * fault passes through its `catch`. The success path therefore never builds or carries a path.
 */
export class Fault {
  /** Path segments, innermost first (reversed on output). */
  readonly segments: string[] = [];
  constructor(readonly reason: string) {}
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The path segment of an object key: `.name` for identifiers, `["a b"]` otherwise. */
export function keySegment(key: string): string {
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** Adds a segment to a fault passing through; other errors pass unchanged. */
export function within(error: unknown, segment: string): unknown {
  if (error instanceof Fault) error.segments.push(segment);
  return error;
}

/**
 * Turns whatever escaped a codec into a `CodecError`. A `Fault` keeps its reason and path. On
 * decode, any other error (a `RangeError` from a typed array, say) is also reported as a
 * `CodecError`, because decoding untrusted bytes must fail only in that one documented way; on
 * encode, a foreign error came from the caller's own value (a throwing getter or proxy) and is
 * rethrown as it is.
 */
export function toCodecError(error: unknown, codec: string, operation: CodecOperation): unknown {
  if (error instanceof Fault) {
    const path = "$" + error.segments.reverse().join("");
    return new CodecError(codec, operation, path, error.reason);
  }
  if (operation === "decode" && !(error instanceof CodecError)) {
    const detail = error instanceof Error ? error.message : String(error);
    return new CodecError(codec, operation, "$", `malformed input (${detail})`, { cause: error });
  }
  return error;
}

/** A short description of a value for "expected X, got Y" messages. */
export function describe(value: unknown): string {
  switch (typeof value) {
    case "undefined":
      return "undefined";
    case "string":
      return value.length > 40 ? `a string of length ${value.length}` : JSON.stringify(value);
    case "number":
    case "boolean":
      return Object.is(value, -0) ? "-0" : String(value);
    case "bigint":
      return `${value}n`;
    case "symbol":
      return "a symbol";
    case "function":
      return "a function";
    default: {
      if (value === null) return "null";
      if (Array.isArray(value)) return `an array of length ${value.length}`;
      if (value instanceof Uint8Array) return `a Uint8Array of length ${value.length}`;
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto === null || proto === Object.prototype) return "an object";
      const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
      return typeof name === "string" && name !== "" ? `an instance of ${name}` : "an object";
    }
  }
}
