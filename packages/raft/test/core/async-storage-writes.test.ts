import { SeededRandom } from "@lab/labrpc";
import { describe, expect, it } from "vitest";
import type { Message } from "../../src/core/messages.js";
import { RaftCore } from "../../src/core/raft-core.js";
import { RaftLog } from "../../src/core/raft-log.js";
import type { Ready } from "../../src/core/ready.js";
import type { Entry } from "../../src/core/types.js";

const command = (text: string) => new TextEncoder().encode(text);

function cores(n: number, asyncStorageWrites: boolean): RaftCore[] {
  return Array.from(
    { length: n },
    (_, id) =>
      new RaftCore({
        id,
        peerCount: n,
        random: new SeededRandom(id + 1),
        asyncStorageWrites,
        preVote: false,
        electionTicks: { min: 10, max: 20 },
        heartbeatTicks: 2,
      }),
  );
}

/** Takes a Ready and reports it handed over and durable at once (a synchronous disk). */
function flush(core: RaftCore): Ready {
  const ready = core.ready();
  core.advance(ready);
  core.persisted(ready);
  return ready;
}

/** Delivers requests; each receiver persists at once and its reply goes back to the sender. */
function deliver(peers: RaftCore[], messages: readonly Message[], to?: number): void {
  for (const m of messages) {
    if (to !== undefined && m.to !== to) continue;
    const receiver = peers[m.to] as RaftCore;
    const reply = receiver.step(m);
    flush(receiver);
    if (reply !== undefined) (peers[m.from] as RaftCore).step(reply);
  }
}

/** Makes peer 0 the leader, everything persisted synchronously. */
function electFirst(peers: RaftCore[]): RaftCore {
  const leader = peers[0] as RaftCore;
  while (leader.role !== "candidate") leader.tick();
  deliver(peers, flush(leader).messages);
  expect(leader.role).toBe("leader");
  deliver(peers, flush(leader).messages); // the first heartbeats
  return leader;
}

describe("asyncStorageWrites: a leader replicates while it persists its own log", () => {
  it("sends new entries before they are durable, and counts itself only once they are", () => {
    const peers = cores(3, true);
    const leader = electFirst(peers);
    const { index } = leader.propose(command("x")) ?? { index: -1 };
    const ready = leader.ready();
    expect(ready.mustPersistBeforeSend).toBe(false);
    expect(ready.entries?.entries.map((e) => e.index)).toEqual([index]);
    const appends = ready.messages.filter((m) => m.type === "AppendEntries");
    expect(appends.map((m) => m.to).sort()).toEqual([1, 2]);
    leader.advance(ready); // handed to the storage, not durable yet

    // One follower has it: with the leader's own copy not durable, that is no majority.
    deliver(peers, appends, 1);
    expect(leader.commitIndex).toBeLessThan(index);
    // The leader's own sync completes: leader and follower 1 are a majority.
    leader.persisted(ready);
    expect(leader.commitIndex).toBe(index);
    expect(flush(leader).committed.map((e) => e.index)).toEqual([index]);
  });

  it("two followers commit an entry the leader has not persisted; it applies it once durable", () => {
    const peers = cores(3, true);
    const leader = electFirst(peers);
    const { index } = leader.propose(command("y")) ?? { index: -1 };
    const ready = leader.ready();
    leader.advance(ready);
    deliver(peers, ready.messages);
    expect(leader.commitIndex).toBe(index);
    // Committed, but not durable here: nothing to hand to the service yet.
    const early = leader.ready();
    leader.advance(early);
    expect(early.committed.map((e) => e.index)).not.toContain(index);
    expect(leader.hasReady()).toBe(false); // no busy loop on the entry it must wait for
    leader.persisted(ready);
    expect(leader.hasReady()).toBe(true);
    expect(flush(leader).committed.map((e) => e.index)).toEqual([index]);
  });

  it("a cluster of one commits only what it persisted", () => {
    const [single] = cores(1, true) as [RaftCore];
    while (single.role !== "leader") {
      single.tick();
      flush(single);
    }
    const { index } = single.propose(command("z")) ?? { index: -1 };
    const ready = single.ready();
    single.advance(ready);
    expect(single.commitIndex).toBeLessThan(index);
    single.persisted(ready);
    expect(single.commitIndex).toBe(index);
  });

  it("a follower applies committed entries only once it persisted them", () => {
    const [, follower] = cores(2, true) as [RaftCore, RaftCore];
    // Two entries and the commit of the first in one AppendEntries.
    const entries: Entry[] = [1, 2].map((index) => ({ index, term: 1, command: command("e") }));
    follower.step({
      type: "AppendEntries",
      from: 0,
      to: 1,
      term: 1,
      prevLogIndex: 0,
      prevLogTerm: 0,
      entries,
      leaderCommit: 1,
      readContext: 0,
    });
    const ready = follower.ready();
    expect(ready.entries?.entries.map((e) => e.index)).toEqual([1, 2]);
    expect(ready.committed).toEqual([]);
    follower.advance(ready);
    expect(follower.hasReady()).toBe(false);
    follower.persisted(ready);
    expect(flush(follower).committed.map((e) => e.index)).toEqual([1]);
  });

  it("a Ready that raised the term, voted or persists a snapshot must be persisted first", () => {
    const peers = cores(3, true);
    const candidate = peers[0] as RaftCore;
    while (candidate.role !== "candidate") candidate.tick();
    const campaign = flush(candidate);
    expect(campaign.messages.some((m) => m.type === "RequestVote")).toBe(true);
    expect(campaign.mustPersistBeforeSend).toBe(true);
    deliver(peers, campaign.messages);
    expect(candidate.role).toBe("leader");
    // Leading, in the term it persisted: heartbeats need nothing more on disk.
    const heartbeats = flush(candidate);
    expect(heartbeats.mustPersistBeforeSend).toBe(false);
    deliver(peers, heartbeats.messages);

    const index = candidate.propose(command("s"))?.index ?? -1;
    deliver(peers, flush(candidate).messages);
    flush(candidate); // applies `index`
    candidate.compact(index, command("state"));
    const compaction = flush(candidate);
    expect(compaction.snapshot?.meta.index).toBe(index);
    expect(compaction.mustPersistBeforeSend).toBe(true);
  });

  it("without it, every Ready must be persisted first and a leader counts itself at once", () => {
    const [single] = cores(1, false) as [RaftCore];
    while (single.role !== "leader") {
      single.tick();
      flush(single);
    }
    const { index } = single.propose(command("w")) ?? { index: -1 };
    expect(single.commitIndex).toBe(index);
    expect(single.ready().mustPersistBeforeSend).toBe(true);
  });
});

describe("RaftLog.durableThrough", () => {
  const entry = (index: number, term: number): Entry => ({ index, term, command: command("") });

  it("rises as updates become durable, drops at once on a truncation, ignores replaced updates", () => {
    const log = new RaftLog();
    expect(log.durableThrough).toBe(0);
    log.merge([entry(1, 1), entry(2, 1), entry(3, 1)], 0);
    const first = log.unstable();
    expect(first?.entries.length).toBe(3);
    log.stableTo(first as NonNullable<typeof first>);
    expect(log.durableThrough).toBe(0);

    // A new leader's entries replace 2..3 before the first update is durable.
    log.merge([entry(2, 2)], 1);
    expect(log.durableThrough).toBe(0);
    const second = log.unstable();
    log.markDurable({ entries: first });
    // The first update's last entry (3, term 1) is gone: it proves nothing about this log.
    expect(log.durableThrough).toBe(0);
    log.markDurable({ entries: second });
    expect(log.durableThrough).toBe(2);

    // Later entries that conflict cut the durable prefix back at once.
    log.merge([entry(3, 2), entry(4, 2)], 1);
    log.markDurable({ entries: log.unstable() });
    expect(log.durableThrough).toBe(4);
    log.merge([entry(3, 3)], 1);
    expect(log.durableThrough).toBe(2);
  });

  it("a snapshot that replaces a disagreeing log is durable once persisted", () => {
    const log = new RaftLog();
    log.merge([entry(1, 1), entry(2, 1)], 0);
    log.markDurable({ entries: log.unstable() });
    expect(log.durableThrough).toBe(2);
    const meta = { index: 5, term: 3 };
    log.installSnapshot(meta);
    expect(log.durableThrough).toBe(2);
    log.markDurable({ snapshot: { meta } });
    expect(log.durableThrough).toBe(5);
  });
});
