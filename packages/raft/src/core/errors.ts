import { LabError } from "@lab/labgob";

/** An internal invariant of Raft does not hold: a bug, never a consequence of input. */
export class RaftInvariantError extends LabError {
  static override readonly code: string = "LAB_RAFT_INVARIANT";
}

/** A call to the Raft API broke its contract (for example a snapshot beyond the commit index). */
export class RaftUsageError extends LabError {
  static override readonly code: string = "LAB_RAFT_USAGE";
}

/** A peer sent an RPC this version cannot read (for example an entry of an unknown kind). */
export class RaftWireError extends LabError {
  static override readonly code: string = "LAB_RAFT_WIRE";
}

/** Checks an invariant of the protocol in the code itself (TigerBeetle style). */
export function invariant(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new RaftInvariantError(message());
}
