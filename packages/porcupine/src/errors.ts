/**
 * Typed errors of `@lab/porcupine`.
 *
 * A program can load this package twice (once through `import`, once through `require`), and
 * each copy has its own classes, so a plain `instanceof` would fail across the copies. Every
 * error therefore carries a brand under a global symbol: the stable `code`s of its class and of
 * its ancestors. `instanceof` consults that brand, so `err instanceof HistoryParseError` holds
 * for an error thrown by either copy. The scheme is shared by every `@lab/*` package, but
 * porcupine depends on none of them, so it carries its own small base class.
 */
const BRAND: unique symbol = Symbol.for("@lab/error-codes") as never;

/** A class of porcupine error: it names the stable code its instances carry. */
export interface PorcupineErrorClass {
  readonly code: string;
}

/** Base class of every error this package throws on purpose. */
export class PorcupineError extends Error {
  /** Stable machine-readable code of this error class. */
  static readonly code: string = "LAB_PORCUPINE";

  /** Stable machine-readable code, equal to the static `code` of the class that was thrown. */
  readonly code: string;

  /** Codes of this error's class and all its ancestors (the brand `instanceof` checks). */
  readonly [BRAND]: readonly string[];

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    const codes: string[] = [];
    for (let c: unknown = new.target; c && c !== Error; c = Object.getPrototypeOf(c)) {
      const code = (c as Partial<PorcupineErrorClass>).code;
      if (typeof code === "string" && !codes.includes(code)) codes.push(code);
    }
    this.code = codes[0] ?? PorcupineError.code;
    this[BRAND] = codes;
    this.name = new.target.name;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass on the right of instanceof.
    return hasCode(value, this.code);
  }
}

function hasCode(value: unknown, code: string): boolean {
  if (typeof value !== "object" || value === null) return false;
  const codes = (value as { [BRAND]?: unknown })[BRAND];
  return Array.isArray(codes) && codes.includes(code);
}

/** True when `value` is a porcupine error, optionally of the given class (works across copies). */
export function isPorcupineError(
  value: unknown,
  cls: PorcupineErrorClass = PorcupineError,
): value is PorcupineError {
  return hasCode(value, cls.code);
}

/**
 * A recorded history could not be read: a malformed line, a return without its call, an
 * unknown operation. `file` and `line` (1-based) say where.
 */
export class HistoryParseError extends PorcupineError {
  static override readonly code: string = "LAB_PORCUPINE_HISTORY_PARSE";

  /** The file (or source name) being parsed. */
  readonly file: string;
  /** 1-based line number of the offending line. */
  readonly line: number;
  /** The problem without the location prefix. */
  readonly reason: string;

  constructor(file: string, line: number, reason: string, options?: { cause?: unknown }) {
    super(`${file}:${line}: ${reason}`, options);
    this.file = file;
    this.line = line;
    this.reason = reason;
  }
}

/**
 * An in-memory history handed to the checker is not well formed (a return before its call, a
 * non-numeric time, an event without its call): the caller's bug, reported before checking.
 */
export class InvalidHistoryError extends PorcupineError {
  static override readonly code: string = "LAB_PORCUPINE_INVALID_HISTORY";
}

/** A model broke its contract (for example `partition` returned operations it was not given). */
export class ModelContractError extends PorcupineError {
  static override readonly code: string = "LAB_PORCUPINE_MODEL_CONTRACT";
}

/** Options given to a public function are invalid (a negative timeout, an unknown model name). */
export class InvalidOptionError extends PorcupineError {
  static override readonly code: string = "LAB_PORCUPINE_INVALID_OPTION";
}

/** A parallel check failed in a worker thread for a reason other than the history itself. */
export class WorkerFailureError extends PorcupineError {
  static override readonly code: string = "LAB_PORCUPINE_WORKER_FAILURE";
}
