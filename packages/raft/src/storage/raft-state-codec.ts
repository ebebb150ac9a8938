import { CodecError, field, message } from "@lab/labgob";
import { type Configuration, configurationProblem } from "../core/configuration.js";
import type { Entry, EntryKind, HardState, SnapshotMeta } from "../core/types.js";
import { StorageCorruptError } from "./storage-errors.js";

/** `kind` is 0 (left off) for a normal entry, 1 for a config entry (membership change). */
const StoredEntry = message("StoredEntry", {
  term: field.uint(1),
  command: field.bytes(2),
  kind: field.uint(3),
});

/**
 * The Raft state the course persists with labgob (currentTerm, votedFor, the log), plus the
 * commit index and the position of the snapshot the log follows. Entry indexes are implied by
 * the snapshot index, which keeps the state small (the course bounds it at 2000 bytes). The
 * snapshot's cluster configuration (membership change) takes fields 7-9, left off when the
 * snapshot has none, so state written before they existed decodes unchanged.
 */
const RaftStateMessage = message("RaftState", {
  term: field.uint(1),
  votedFor: field.int(2),
  commit: field.uint(3),
  snapshotIndex: field.uint(4),
  snapshotTerm: field.uint(5),
  entries: field.repeated(field.message(StoredEntry), 6),
  snapshotHasConfig: field.bool(7),
  snapshotVoters: field.repeated(field.uint(), 8),
  snapshotLearners: field.repeated(field.uint(), 9),
});

/**
 * The same message's fields before its log, and after it: protobuf fields are concatenable,
 * so the header's fields, the log's field bytes ({@link encodeStoredEntry}, in order) and the
 * trailer's fields are exactly the bytes of {@link encodeRaftState} (labgob wants fields in
 * number order). Persisting that way encodes each entry only once.
 */
const RaftStateHeader = message("RaftState", {
  term: field.uint(1),
  votedFor: field.int(2),
  commit: field.uint(3),
  snapshotIndex: field.uint(4),
  snapshotTerm: field.uint(5),
});
const RaftStateTrailer = message("RaftState", {
  snapshotHasConfig: field.bool(7),
  snapshotVoters: field.repeated(field.uint(), 8),
  snapshotLearners: field.repeated(field.uint(), 9),
});

/** Just the log field of {@link RaftStateMessage}, to encode one entry as it appears there. */
const RaftStateLogField = message("RaftState", {
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
    entries: state.entries.map(storedEntryFields),
    ...snapshotConfigFields(state.snapshot.config),
  });
}

/**
 * Encodes the Raft state from its hard state, its snapshot position and the bytes of its log
 * as {@link encodeStoredEntry} wrote them: the same bytes as {@link encodeRaftState}.
 */
export function encodeRaftStateWithLog(
  hardState: HardState,
  snapshot: SnapshotMeta,
  encodedLog: Uint8Array,
): Uint8Array {
  return assembleRaftState(
    encodeRaftStateHeader(hardState, snapshot),
    encodedLog,
    encodeRaftStateTrailer(snapshot),
  );
}

/**
 * The fields of the Raft state before its log (no byte count in front): put together with the
 * log's bytes and {@link encodeRaftStateTrailer}'s by {@link assembleRaftState}.
 */
export function encodeRaftStateHeader(hardState: HardState, snapshot: SnapshotMeta): Uint8Array {
  return withoutLengthPrefix(
    RaftStateHeader.encode({
      term: hardState.term,
      votedFor: hardState.votedFor ?? -1,
      commit: hardState.commit,
      snapshotIndex: snapshot.index,
      snapshotTerm: snapshot.term,
    }),
  );
}

/** The fields of the Raft state after its log: the snapshot's configuration (often none). */
export function encodeRaftStateTrailer(snapshot: SnapshotMeta): Uint8Array {
  if (snapshot.config === undefined) return EMPTY;
  return withoutLengthPrefix(RaftStateTrailer.encode(snapshotConfigFields(snapshot.config)));
}

const EMPTY = new Uint8Array(0);

/** The byte size of {@link assembleRaftState}'s result, without building it. */
export function assembledRaftStateSize(
  headerLength: number,
  encodedLogLength: number,
  trailerLength = 0,
): number {
  const length = headerLength + encodedLogLength + trailerLength;
  return varintSize(length) + length;
}

/**
 * The encoded Raft state from {@link encodeRaftStateHeader}'s bytes, the log's (as
 * {@link encodeStoredEntry} wrote them, in order) and {@link encodeRaftStateTrailer}'s: the
 * same bytes as {@link encodeRaftState}.
 */
export function assembleRaftState(
  header: Uint8Array,
  encodedLog: Uint8Array,
  trailer: Uint8Array = EMPTY,
): Uint8Array {
  // labgob writes a message as its byte count, then its fields.
  const length = header.length + encodedLog.length + trailer.length;
  const prefix = varintSize(length);
  const out = new Uint8Array(prefix + length);
  let n = length;
  let i = 0;
  while (n > 0x7f) {
    out[i++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  out[i] = n;
  out.set(header, prefix);
  out.set(encodedLog, prefix + header.length);
  out.set(trailer, prefix + header.length + encodedLog.length);
  return out;
}

/** One entry as it appears (field tag and all) in the log of an encoded Raft state. */
export function encodeStoredEntry(entry: Entry): Uint8Array {
  return withoutLengthPrefix(RaftStateLogField.encode({ entries: [storedEntryFields(entry)] }));
}

function storedEntryFields(entry: Entry): { term: number; command: Uint8Array; kind: number } {
  return { term: entry.term, command: entry.command, kind: entry.kind === "config" ? 1 : 0 };
}

function snapshotConfigFields(config: Configuration | undefined): {
  snapshotHasConfig: boolean;
  snapshotVoters: number[];
  snapshotLearners: number[];
} {
  return config === undefined
    ? { snapshotHasConfig: false, snapshotVoters: [], snapshotLearners: [] }
    : {
        snapshotHasConfig: true,
        snapshotVoters: [...config.voters],
        snapshotLearners: [...config.learners],
      };
}

function entryKind(kind: number, index: number): EntryKind {
  if (kind === 0) return "normal";
  if (kind === 1) return "config";
  throw new StorageCorruptError(`persisted entry ${index} has unknown kind ${kind}`);
}

/** The fields of a labgob message encoding, without the byte count in front of them. */
function withoutLengthPrefix(encoded: Uint8Array): Uint8Array {
  let i = 0;
  while ((encoded[i] as number) & 0x80) i++;
  return encoded.subarray(i + 1);
}

function varintSize(n: number): number {
  let size = 1;
  while (n > 0x7f) {
    n >>>= 7;
    size++;
  }
  return size;
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
  let config: Configuration | undefined;
  if (raw.snapshotHasConfig) {
    config = { voters: raw.snapshotVoters, learners: raw.snapshotLearners };
    const problem = configurationProblem(config);
    if (problem !== undefined) {
      throw new StorageCorruptError(`persisted snapshot configuration: ${problem}`);
    }
  }
  return {
    hardState: {
      term: raw.term,
      votedFor: raw.votedFor === -1 ? null : raw.votedFor,
      commit: raw.commit,
    },
    snapshot: {
      index: raw.snapshotIndex,
      term: raw.snapshotTerm,
      ...(config !== undefined ? { config } : {}),
    },
    entries: raw.entries.map((e, i) => {
      const index = raw.snapshotIndex + 1 + i;
      const kind = entryKind(e.kind, index);
      return kind === "config"
        ? { term: e.term, index, command: e.command, kind }
        : { term: e.term, index, command: e.command };
    }),
  };
}
