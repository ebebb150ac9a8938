import { MapReduceError } from "../errors.js";

/** A case of the course's test script failed; the message says which check and why. */
export class ScriptCaseError extends MapReduceError {
  static override readonly code: string = "LAB_MR_SCRIPT_CASE";
}
