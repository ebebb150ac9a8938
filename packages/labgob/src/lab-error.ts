/**
 * The base of every typed error in the `@lab/*` packages.
 *
 * An application can load a package twice (once through `import`, once through `require`), and
 * each copy has its own classes, so a plain `instanceof` would fail across copies. Every error
 * therefore carries a brand under a global symbol: the list of stable `code`s of its class and
 * its ancestors. `instanceof` on any `LabError` subclass consults that brand, so
 * `err instanceof CodecError` holds for a `CodecError` thrown by either copy.
 */
const BRAND: unique symbol = Symbol.for("@lab/error-codes") as never;

/** A class of lab error: it names the stable code its instances carry. */
export interface LabErrorClass {
  readonly code: string;
}

/**
 * Base class of the packages' typed errors: carries a stable `code` and makes `instanceof` work
 * across copies of a package (see above).
 */
export class LabError extends Error {
  /** Stable machine-readable code of this error class, e.g. `"LAB_CODEC"`. */
  static readonly code: string = "LAB_ERROR";

  /** Stable machine-readable code, equal to the static `code` of the class that was thrown. */
  readonly code: string;

  /** Codes of this error's class and all its ancestors (the brand `instanceof` checks). */
  readonly [BRAND]: readonly string[];

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    const codes: string[] = [];
    for (let c: unknown = new.target; c && c !== Error; c = Object.getPrototypeOf(c)) {
      const code = (c as Partial<LabErrorClass>).code;
      if (typeof code === "string" && !codes.includes(code)) codes.push(code);
    }
    this.code = codes[0] ?? LabError.code;
    this[BRAND] = codes;
    this.name = new.target.name;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== "object" || value === null) return false;
    const codes = (value as { [BRAND]?: unknown })[BRAND];
    // `this` is the class on the right of `instanceof` (a subclass, usually), which is the point.
    // biome-ignore lint/complexity/noThisInStatic: the receiver class decides which code to test.
    return Array.isArray(codes) && codes.includes(this.code);
  }
}

/** True when `value` is a lab error, optionally of the given class (works across package copies). */
export function isLabError(value: unknown, cls: LabErrorClass = LabError): value is LabError {
  if (typeof value !== "object" || value === null) return false;
  const codes = (value as { [BRAND]?: unknown })[BRAND];
  return Array.isArray(codes) && codes.includes(cls.code);
}
