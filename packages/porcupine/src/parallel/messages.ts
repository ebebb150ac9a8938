import type { SearchOutcome } from "../checker/search.js";
import type { Operation } from "../history.js";
import type { PortableModel } from "../model.js";

/** What a check worker is started with. */
export interface CheckWorkerData {
  readonly model: PortableModel;
  readonly memoryLimitBytes: number;
  readonly collectInfo: boolean;
}

/** A partition for a worker to search. */
export interface CheckJob {
  readonly partition: number;
  readonly operations: readonly Operation<unknown, unknown>[];
  /** Milliseconds left before the check's deadline; `null` for no deadline. */
  readonly remainingMs: number | null;
}

/** A worker's answer to a {@link CheckJob}. */
export type CheckJobReply =
  | { readonly partition: number; readonly outcome: SearchOutcome<unknown> }
  | { readonly partition: number; readonly error: string };
