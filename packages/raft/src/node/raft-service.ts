import { type Codec, type DecodeOptions, field, message } from "@lab/labgob";
import { defineService } from "@lab/labrpc";
import { configurationProblem } from "../core/configuration.js";
import { RaftWireError } from "../core/errors.js";
import type {
  AppendEntries,
  AppendEntriesReply,
  InstallSnapshot,
  InstallSnapshotReply,
  RequestVote,
  RequestVoteReply,
  TimeoutNow,
} from "../core/messages.js";
import type { Entry, PeerId, SnapshotMeta } from "../core/types.js";

// The wire form of Raft's RPCs, with the course's field names. Entry indexes are implied by
// prevLogIndex, so they are not sent.
const WireEntry = message("LogEntry", {
  term: field.uint(1),
  command: field.bytes(2),
  /** 0 (left off): a normal entry; 1: a config entry (membership change, not in the course). */
  kind: field.uint(3),
});

export const RequestVoteArgs = message("RequestVoteArgs", {
  term: field.uint(1),
  candidateId: field.uint(2),
  lastLogIndex: field.uint(3),
  lastLogTerm: field.uint(4),
  /** A pre-vote (pre-vote is not in the course; new fields take new numbers). */
  preVote: field.bool(5),
  /** The candidate campaigns on a leader's TimeoutNow (leadership transfer). */
  leadershipTransfer: field.bool(6),
});
export const RequestVoteReplyWire = message("RequestVoteReply", {
  term: field.uint(1),
  voteGranted: field.bool(2),
  /** Echoes the request's `preVote`. */
  preVote: field.bool(3),
});
export const AppendEntriesArgs = message("AppendEntriesArgs", {
  term: field.uint(1),
  leaderId: field.uint(2),
  prevLogIndex: field.uint(3),
  prevLogTerm: field.uint(4),
  entries: field.repeated(field.message(WireEntry), 5),
  leaderCommit: field.uint(6),
  /** The leader's latest round of read confirmation (ReadIndex); 0, left off, before any. */
  readContext: field.uint(7),
});
export const AppendEntriesReplyWire = message("AppendEntriesReply", {
  term: field.uint(1),
  success: field.bool(2),
  prevLogIndex: field.uint(3),
  matchIndex: field.uint(4),
  conflictTerm: field.uint(5),
  conflictIndex: field.uint(6),
  lastLogIndex: field.uint(7),
  /** Echoes the request's `readContext`. */
  readContext: field.uint(8),
});
export const InstallSnapshotArgs = message("InstallSnapshotArgs", {
  term: field.uint(1),
  leaderId: field.uint(2),
  lastIncludedIndex: field.uint(3),
  lastIncludedTerm: field.uint(4),
  data: field.bytes(5),
  /** The snapshot's cluster configuration (membership change, not in the course). */
  hasConfig: field.bool(6),
  voters: field.repeated(field.uint(), 7),
  learners: field.repeated(field.uint(), 8),
});
export const InstallSnapshotReplyWire = message("InstallSnapshotReply", {
  term: field.uint(1),
  matchIndex: field.uint(2),
});
/** Leadership transfer: the leader tells a caught-up peer to campaign now (not in the course). */
export const TimeoutNowArgs = message("TimeoutNowArgs", {
  term: field.uint(1),
  leaderId: field.uint(2),
});
/** The receiver's term; the election that follows is the real answer. */
export const TimeoutNowReplyWire = message("TimeoutNowReply", {
  term: field.uint(1),
});

/**
 * AppendEntriesArgs whose encoding is remembered per args object: a leader sends one args
 * object to every follower at the same position (see `appendEntriesToWire`), and each
 * transport call encodes it again. The bytes are shared between those calls; transports only
 * read request bytes, and decoding copies or views them, never writes.
 */
function encodeOncePerObject<T extends object>(codec: Codec<T>): Codec<T> {
  const encoded = new WeakMap<T, Uint8Array>();
  return Object.freeze({
    name: codec.name,
    encode(value: T): Uint8Array {
      const known = encoded.get(value);
      if (known !== undefined) return known;
      const bytes = codec.encode(value);
      encoded.set(value, bytes);
      return bytes;
    },
    decode: (bytes: Uint8Array, options?: DecodeOptions) => codec.decode(bytes, options),
  });
}

/**
 * The `Raft` service every peer serves: `Raft.RequestVote`, `Raft.AppendEntries`,
 * `Raft.InstallSnapshot`, and `Raft.TimeoutNow` for leadership transfer.
 */
export const RaftService = defineService("Raft", {
  RequestVote: { request: RequestVoteArgs, reply: RequestVoteReplyWire },
  AppendEntries: {
    request: encodeOncePerObject(AppendEntriesArgs),
    reply: AppendEntriesReplyWire,
  },
  InstallSnapshot: { request: InstallSnapshotArgs, reply: InstallSnapshotReplyWire },
  TimeoutNow: { request: TimeoutNowArgs, reply: TimeoutNowReplyWire },
});

// Conversions between core messages and their wire form. `to` is the receiver, known locally.

export function requestVoteToWire(m: RequestVote) {
  return {
    term: m.term,
    candidateId: m.from,
    lastLogIndex: m.lastLogIndex,
    lastLogTerm: m.lastLogTerm,
    preVote: m.preVote,
    leadershipTransfer: m.leadershipTransfer,
  };
}

export function requestVoteFromWire(
  w: ReturnType<typeof RequestVoteArgs.decode>,
  to: PeerId,
): RequestVote {
  return {
    type: "RequestVote",
    from: w.candidateId,
    to,
    term: w.term,
    lastLogIndex: w.lastLogIndex,
    lastLogTerm: w.lastLogTerm,
    preVote: w.preVote,
    leadershipTransfer: w.leadershipTransfer,
  };
}

export function requestVoteReplyFromWire(
  w: ReturnType<typeof RequestVoteReplyWire.decode>,
  from: PeerId,
  to: PeerId,
): RequestVoteReply {
  return {
    type: "RequestVoteReply",
    from,
    to,
    term: w.term,
    voteGranted: w.voteGranted,
    preVote: w.preVote,
  };
}

type AppendEntriesWire = ReturnType<typeof AppendEntriesArgs.decode>;

/** The wire form of the last AppendEntries built for each entries array (see below). */
const wireOfEntries = new WeakMap<readonly Entry[], AppendEntriesWire>();

/**
 * The wire form of `m`. Messages of one Ready to followers at the same position carry the same
 * entries array (`RaftLog.sliceBounded`) and the same header: they get the same wire object,
 * which the service's codec encodes once.
 */
export function appendEntriesToWire(m: AppendEntries): AppendEntriesWire {
  if (m.entries.length === 0) return buildAppendEntriesWire(m);
  const known = wireOfEntries.get(m.entries);
  if (
    known !== undefined &&
    known.term === m.term &&
    known.leaderId === m.from &&
    known.prevLogIndex === m.prevLogIndex &&
    known.prevLogTerm === m.prevLogTerm &&
    known.leaderCommit === m.leaderCommit &&
    known.readContext === m.readContext
  ) {
    return known;
  }
  const wire = buildAppendEntriesWire(m);
  wireOfEntries.set(m.entries, wire);
  return wire;
}

function buildAppendEntriesWire(m: AppendEntries): AppendEntriesWire {
  return {
    term: m.term,
    leaderId: m.from,
    prevLogIndex: m.prevLogIndex,
    prevLogTerm: m.prevLogTerm,
    entries: m.entries.map((e) => ({
      term: e.term,
      command: e.command,
      kind: e.kind === "config" ? 1 : 0,
    })),
    leaderCommit: m.leaderCommit,
    readContext: m.readContext,
  };
}

export function appendEntriesFromWire(
  w: ReturnType<typeof AppendEntriesArgs.decode>,
  to: PeerId,
): AppendEntries {
  return {
    type: "AppendEntries",
    from: w.leaderId,
    to,
    term: w.term,
    prevLogIndex: w.prevLogIndex,
    prevLogTerm: w.prevLogTerm,
    entries: w.entries.map((e, i): Entry => {
      const index = w.prevLogIndex + 1 + i;
      if (e.kind === 0) return { term: e.term, index, command: e.command };
      if (e.kind === 1) return { term: e.term, index, command: e.command, kind: "config" };
      throw new RaftWireError(`AppendEntries entry ${index} has unknown kind ${e.kind}`);
    }),
    leaderCommit: w.leaderCommit,
    readContext: w.readContext,
  };
}

export function appendEntriesReplyFromWire(
  w: ReturnType<typeof AppendEntriesReplyWire.decode>,
  from: PeerId,
  to: PeerId,
): AppendEntriesReply {
  return { type: "AppendEntriesReply", from, to, ...w };
}

export function installSnapshotToWire(m: InstallSnapshot) {
  return {
    term: m.term,
    leaderId: m.from,
    lastIncludedIndex: m.snapshot.meta.index,
    lastIncludedTerm: m.snapshot.meta.term,
    data: m.snapshot.data,
    hasConfig: m.snapshot.meta.config !== undefined,
    voters: [...(m.snapshot.meta.config?.voters ?? [])],
    learners: [...(m.snapshot.meta.config?.learners ?? [])],
  };
}

export function installSnapshotFromWire(
  w: ReturnType<typeof InstallSnapshotArgs.decode>,
  to: PeerId,
): InstallSnapshot {
  return {
    type: "InstallSnapshot",
    from: w.leaderId,
    to,
    term: w.term,
    snapshot: { meta: snapshotMetaFromWire(w), data: w.data },
  };
}

function snapshotMetaFromWire(w: ReturnType<typeof InstallSnapshotArgs.decode>): SnapshotMeta {
  const meta = { index: w.lastIncludedIndex, term: w.lastIncludedTerm };
  if (!w.hasConfig) return meta;
  const config = { voters: w.voters, learners: w.learners };
  const problem = configurationProblem(config);
  if (problem !== undefined) throw new RaftWireError(`InstallSnapshot configuration: ${problem}`);
  return { ...meta, config };
}

export function installSnapshotReplyFromWire(
  w: ReturnType<typeof InstallSnapshotReplyWire.decode>,
  from: PeerId,
  to: PeerId,
): InstallSnapshotReply {
  return { type: "InstallSnapshotReply", from, to, term: w.term, matchIndex: w.matchIndex };
}

export function timeoutNowToWire(m: TimeoutNow) {
  return { term: m.term, leaderId: m.from };
}

export function timeoutNowFromWire(
  w: ReturnType<typeof TimeoutNowArgs.decode>,
  to: PeerId,
): TimeoutNow {
  return { type: "TimeoutNow", from: w.leaderId, to, term: w.term };
}
