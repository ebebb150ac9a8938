/**
 * Reads a model's inputs and outputs from parsed JSON, checking their shape. Each function
 * returns the typed value, or a string saying what is wrong (the caller adds file and line).
 */
export interface JsonCodec<Input, Output> {
  /** Reads an operation's input. */
  input(json: unknown): Input | JsonShapeError;
  /** Reads an operation's output, knowing its input. */
  output(json: unknown, input: Input): Output | JsonShapeError;
}

/** What is wrong with a JSON value, as returned by a {@link JsonCodec}. */
export class JsonShapeError {
  constructor(readonly message: string) {}
}

/** True for a plain JSON object. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks that `json` is an object whose keys are all in `allowed`. */
export function objectWithKeys(
  json: unknown,
  what: string,
  allowed: readonly string[],
): Record<string, unknown> | JsonShapeError {
  if (!isJsonObject(json)) return new JsonShapeError(`${what} must be a JSON object`);
  for (const key of Object.keys(json)) {
    if (!allowed.includes(key))
      return new JsonShapeError(`${what} has an unexpected field ${JSON.stringify(key)}`);
  }
  return json;
}
