import type { Entry, PeerId, Snapshot } from "./types.js";

/** Every message carries its sender, its addressee and the sender's current term. */
interface Envelope {
  readonly from: PeerId;
  readonly to: PeerId;
  readonly term: number;
}

/**
 * RequestVote RPC (Figure 2). With `preVote` it is a pre-vote (§9.6 of Ongaro's thesis): `term`
 * is the term the sender would campaign in (its own term + 1), and granting it changes nothing
 * at the receiver: no term adopted, no vote recorded, no timer reset.
 */
export interface RequestVote extends Envelope {
  readonly type: "RequestVote";
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
  /** A pre-vote: "would you vote for me in `term`?", not a vote. */
  readonly preVote: boolean;
  /**
   * The candidate campaigns on the leader's TimeoutNow (a leadership transfer): voters grant it
   * even within check-quorum's lease, since the leader itself is handing over.
   */
  readonly leadershipTransfer: boolean;
}

/**
 * The reply to RequestVote; `preVote` echoes the request's. A granted pre-vote carries the
 * request's term (which the voter does not adopt); every other reply carries the voter's term.
 */
export interface RequestVoteReply extends Envelope {
  readonly type: "RequestVoteReply";
  readonly voteGranted: boolean;
  readonly preVote: boolean;
}

/** AppendEntries RPC (Figure 2); an empty `entries` is a heartbeat. */
export interface AppendEntries extends Envelope {
  readonly type: "AppendEntries";
  readonly prevLogIndex: number;
  readonly prevLogTerm: number;
  readonly entries: readonly Entry[];
  readonly leaderCommit: number;
  /**
   * The leader's latest round of read confirmation (see `ReadOnly`), echoed in the reply; 0
   * before the first round of the term.
   */
  readonly readContext: number;
}

/**
 * The reply to AppendEntries. On success `matchIndex` is the last index the follower now
 * shares with the leader. On a log mismatch it carries the fast-backup hints of the course
 * (XTerm, XIndex, XLen): `conflictTerm` is the follower's term at `prevLogIndex` (0 when its log
 * is too short), `conflictIndex` the first index it holds with that term, and `lastLogIndex`
 * the end of its log.
 */
export interface AppendEntriesReply extends Envelope {
  readonly type: "AppendEntriesReply";
  readonly success: boolean;
  /** The `prevLogIndex` of the request this answers, so a stale reply can be recognised. */
  readonly prevLogIndex: number;
  readonly matchIndex: number;
  readonly conflictTerm: number;
  readonly conflictIndex: number;
  readonly lastLogIndex: number;
  /** The request's `readContext`, echoed: the follower was in the leader's term when it got it. */
  readonly readContext: number;
}

/** InstallSnapshot RPC, sent whole (no chunks), as the course asks. */
export interface InstallSnapshot extends Envelope {
  readonly type: "InstallSnapshot";
  readonly snapshot: Snapshot;
}

/** The reply to InstallSnapshot: `matchIndex` is the snapshot index the follower now has. */
export interface InstallSnapshotReply extends Envelope {
  readonly type: "InstallSnapshotReply";
  readonly matchIndex: number;
}

/**
 * TimeoutNow (Raft thesis §3.10): the leader, handing leadership over, tells the peer it has
 * brought up to date to start an election at once, without a pre-vote. It has no reply of its
 * own: the election that follows is the answer.
 */
export interface TimeoutNow extends Envelope {
  readonly type: "TimeoutNow";
}

export type RequestMessage = RequestVote | AppendEntries | InstallSnapshot | TimeoutNow;
export type ReplyMessage = RequestVoteReply | AppendEntriesReply | InstallSnapshotReply;
export type Message = RequestMessage | ReplyMessage;

/** True for the requests; their replies travel back as RPC results. */
export function isRequest(message: Message): message is RequestMessage {
  return (
    message.type === "RequestVote" ||
    message.type === "AppendEntries" ||
    message.type === "InstallSnapshot" ||
    message.type === "TimeoutNow"
  );
}
