import { decodeConfiguration, formatConfiguration } from "../../core/configuration.js";
import type { Message } from "../../core/messages.js";
import type { RaftStatus } from "../../core/raft-core.js";
import type { Entry, HardState, PeerId, Snapshot, SnapshotMeta } from "../../core/types.js";

// Every position in the log is written `term/index`, as in etcd-io/raft's interaction tests:
// `2/4 "x"` is the entry at index 4, written in term 2.

const decoder = new TextDecoder();

/** A command as it appears in scripts: the UTF-8 text, quoted. */
export function formatCommand(command: Uint8Array): string {
  return JSON.stringify(decoder.decode(command));
}

export function formatEntry(entry: Entry): string {
  if (entry.kind === "config") {
    return `${entry.term}/${entry.index} config(${formatConfiguration(decodeConfiguration(entry.command))})`;
  }
  return `${entry.term}/${entry.index} ${formatCommand(entry.command)}`;
}

export function formatEntries(entries: readonly Entry[]): string {
  return `[${entries.map(formatEntry).join(", ")}]`;
}

export function formatPosition(term: number | undefined, index: number): string {
  return `${term ?? "?"}/${index}`;
}

export function formatPeer(peer: PeerId | null): string {
  return peer === null ? "-" : String(peer);
}

export function formatHardState(hs: HardState): string {
  return `term=${hs.term} vote=${formatPeer(hs.votedFor)} commit=${hs.commit}`;
}

/** Snapshot data is the service's state (applied commands, comma separated): short, so shown. */
export function formatSnapshot(snapshot: Snapshot): string {
  return `${formatMeta(snapshot.meta)} data=${formatCommand(snapshot.data)}`;
}

export function formatMeta(meta: SnapshotMeta): string {
  return formatPosition(meta.term, meta.index);
}

/** One message on one line, with every field that matters to the protocol. */
export function formatMessage(m: Message): string {
  const head = `${m.from}->${m.to} ${messageType(m)} term=${m.term}`;
  switch (m.type) {
    case "RequestVote":
      return `${head} last=${formatPosition(m.lastLogTerm, m.lastLogIndex)}${m.leadershipTransfer ? " transfer" : ""}`;
    case "RequestVoteReply":
      return `${head} ${m.voteGranted ? "granted" : "rejected"}`;
    case "AppendEntries":
      return `${head} prev=${formatPosition(m.prevLogTerm, m.prevLogIndex)} entries=${formatEntries(m.entries)} commit=${m.leaderCommit}${formatContext(m.readContext)}`;
    case "AppendEntriesReply":
      if (m.success) return `${head} ok match=${m.matchIndex}${formatContext(m.readContext)}`;
      // The fast-backup hints, named as in the course (XTerm, XIndex, XLen - 1).
      return `${head} reject prev=${m.prevLogIndex} conflict-term=${m.conflictTerm} conflict-index=${m.conflictIndex} last=${m.lastLogIndex}${formatContext(m.readContext)}`;
    case "InstallSnapshot":
      return `${head} snapshot=${formatSnapshot(m.snapshot)}`;
    case "InstallSnapshotReply":
      return `${head} match=${m.matchIndex}`;
    case "TimeoutNow":
      return head;
  }
}

/** A read context (ReadIndex rounds), shown once the leader has started a round in its term. */
function formatContext(context: number): string {
  return context > 0 ? ` ctx=${context}` : "";
}

/** A message's type as scripts name it: pre-votes are `PreVote` and `PreVoteReply`. */
export function messageType(m: Message): string {
  if (m.type === "RequestVote" && m.preVote) return "PreVote";
  if (m.type === "RequestVoteReply" && m.preVote) return "PreVoteReply";
  return m.type;
}

/**
 * The part of a peer's state that changes as messages and ticks arrive. A follower in a
 * pre-vote round shows as `pre-candidate`.
 */
export function formatRole(s: RaftStatus): string {
  return `${s.id}: ${s.preCandidate ? "pre-candidate" : s.role} term=${s.term} vote=${formatPeer(s.votedFor)} lead=${formatPeer(s.leaderId)} commit=${s.commit}`;
}
