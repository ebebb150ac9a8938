import { CodecError, field, message } from "@lab/labgob";
import type { Entry, HardState, SnapshotMeta } from "../core/types.js";
import { StorageCorruptError } from "./storage-errors.js";

const StoredEntry = message("StoredEntry", { term: field.uint(1), command: field.bytes(2) });

/**
 * The Raft state the course persists with labgob (currentTerm, votedFor, the log), plus the
 * commit index and the position of the snapshot the log follows. Entry indexes are implied by
 * the snapshot index, which keeps the state small (the course bounds it at 2000 bytes).
 */
const RaftStateMessage = message("RaftState", {
  term: field.uint(1),
  votedFor: field.int(2),
  commit: field.uint(3),
  snapshotIndex: field.uint(4),
  snapshotTerm: field.uint(5),
  entries: field.repeated(field.message(StoredEntry), 6),
});

/** The decoded Raft state: hard state, the snapshot position, and the entries after it. */
export interface RaftState {
  readonly hardState: HardState;
  readonly snapshot: SnapshotMeta;
  readonly entries: readonly Entry[];
}

export function encodeRaftState(state: RaftState): Uint8Array {
  return RaftStateMessage.encode({
    term: state.hardState.term,
    votedFor: state.hardState.votedFor ?? -1,
    commit: state.hardState.commit,
    snapshotIndex: state.snapshot.index,
    snapshotTerm: state.snapshot.term,
    entries: state.entries.map((e) => ({ term: e.term, command: e.command })),
  });
}

/** Decodes persisted Raft state; corrupt bytes throw `StorageCorruptError`. */
export function decodeRaftState(bytes: Uint8Array): RaftState {
  let raw: ReturnType<typeof RaftStateMessage.decode>;
  try {
    raw = RaftStateMessage.decode(bytes);
  } catch (err) {
    if (err instanceof CodecError) {
      throw new StorageCorruptError(`persisted Raft state does not decode: ${err.message}`, {
        cause: err,
      });
    }
    throw err;
  }
  if (raw.votedFor < -1) throw new StorageCorruptError(`persisted votedFor is ${raw.votedFor}`);
  return {
    hardState: {
      term: raw.term,
      votedFor: raw.votedFor === -1 ? null : raw.votedFor,
      commit: raw.commit,
    },
    snapshot: { index: raw.snapshotIndex, term: raw.snapshotTerm },
    entries: raw.entries.map((e, i) => ({
      term: e.term,
      index: raw.snapshotIndex + 1 + i,
      command: e.command,
    })),
  };
}
