import { LabError } from "./lab-error.js";

/** Which direction of a codec failed. */
export type CodecOperation = "encode" | "decode";

/**
 * A value could not be encoded faithfully, or bytes are not a complete, canonical encoding.
 *
 * The message names the codec, the operation, the path of the offending field from the root
 * (`$` is the root, `$.entries[3].term` a field of the fourth entry) and what was wrong, e.g.
 * `AppendEntriesArgs.encode: $.entries[3].term: expected uint (a non-negative safe integer), got -1`.
 */
export class CodecError extends LabError {
  static override readonly code: string = "LAB_CODEC";

  /** Name of the codec that failed, e.g. `"AppendEntriesArgs"`. */
  readonly codec: string;
  /** Whether encoding or decoding failed. */
  readonly operation: CodecOperation;
  /** Path of the offending field from the root value: `$`, `$.entries[3].term`, `$.tags["a b"]`. */
  readonly path: string;
  /** What was wrong at `path`, without the codec name and path. */
  readonly reason: string;

  /** Builds the error; the message is `${codec}.${operation}: ${path}: ${reason}`. */
  constructor(
    codec: string,
    operation: CodecOperation,
    path: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${codec}.${operation}: ${path}: ${reason}`, options);
    this.codec = codec;
    this.operation = operation;
    this.path = path;
    this.reason = reason;
  }
}
