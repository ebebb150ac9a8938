import { expect } from "vitest";
import { CodecError } from "../../src/index.js";

/** Runs `f`, expects a `CodecError` at `path` whose reason matches `reason`, and returns it. */
export function expectCodecError(f: () => unknown, path: string, reason: RegExp): CodecError {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(CodecError);
  const error = caught as CodecError;
  expect(error.path).toBe(path);
  expect(error.reason).toMatch(reason);
  // The message carries the path, so a log line alone says where the problem is.
  expect(error.message).toContain(`: ${path}: `);
  return error;
}
