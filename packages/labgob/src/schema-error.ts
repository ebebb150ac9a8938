import { LabError } from "./lab-error.js";

/**
 * A schema passed to `message` or `field` is malformed: a duplicate field number, a field name
 * that cannot be a plain property, a kind that protobuf cannot nest. Thrown when the schema is
 * declared (module load time), never while encoding or decoding.
 */
export class SchemaError extends LabError {
  static override readonly code: string = "LAB_CODEC_SCHEMA";
}
