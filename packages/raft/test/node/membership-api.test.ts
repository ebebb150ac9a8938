import { codecs } from "@lab/labgob";
import { type ClientEnd, Network, RpcServer, Simulator } from "@lab/labrpc";
import { describe, expect, it } from "vitest";
import {
  allVoters,
  configuration,
  EMPTY_CONFIGURATION,
  MembershipChangeError,
  MemoryStorage,
  makeRaft,
  type Raft,
  RaftCore,
  RaftNode,
  RaftUsageError,
  RaftWireError,
} from "../../src/index.js";
import { appendEntriesFromWire, installSnapshotFromWire } from "../../src/node/raft-service.js";

// The driver's membership API: results, typed refusals, peers resolved on demand.

function cluster(seed: number, size: number, voters: number, catchUp?: number) {
  const sim = new Simulator({ seed });
  const net = new Network(sim);
  const resolved: string[] = [];
  const rafts: Raft<string>[] = [];
  for (let me = 0; me < size; me++) {
    const raft = makeRaft<string>({
      peers: [],
      resolvePeer: (j): ClientEnd => {
        resolved.push(`${me}->${j}`);
        const end = net.makeEnd(`${me}->${j}`);
        net.connect(`${me}->${j}`, `s${j}`);
        net.enable(`${me}->${j}`, true);
        return end;
      },
      initialConfiguration: me < voters ? allVoters(voters) : EMPTY_CONFIGURATION,
      me,
      persister: new MemoryStorage(),
      clock: sim,
      random: sim.random.fork(`p${me}`),
      codec: codecs.string,
      apply: () => {},
      ...(catchUp !== undefined ? { tuning: { learnerCatchUpEntries: catchUp } } : {}),
    });
    const server = new RpcServer();
    raft.register(server);
    net.addServer(`s${me}`, server);
    rafts.push(raft);
  }
  const leader = async () => {
    for (;;) {
      const i = rafts.findIndex((r) => r.getState().isLeader);
      if (i >= 0) return i;
      await sim.sleep(10);
    }
  };
  return { sim, rafts, resolved, leader };
}

async function refusal(p: Promise<unknown>): Promise<MembershipChangeError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof MembershipChangeError) return error;
    throw error;
  }
  throw new Error("expected a MembershipChangeError");
}

describe("RaftNode.changeMembership", () => {
  it("adds a voter through a learner, refuses with typed errors, rejects when killed", async () => {
    const { sim, rafts, resolved, leader } = cluster(3, 4, 3);
    await sim.settle(
      (async () => {
        const l = await leader();
        // A fresh leader has no entry of its term committed: changeMembership waits for one.
        const added = await rafts[l]?.addVoter(3);
        expect(added?.config).toEqual(configuration([0, 1, 2, 3]));
        // Peer 3 was reached through resolvePeer; it learned its configuration from the log.
        expect(resolved).toContain(`${l}->3`);
        while (rafts[3]?.configuration().voters.length !== 4) await sim.sleep(10);
        const f = (l + 1) % 4;
        const cases: [number, Parameters<Raft["changeMembership"]>[0], string][] = [
          [f, { type: "remove", id: 0 }, "not-leader"],
          [l, { type: "remove", id: 7 }, "unknown-peer"],
          [l, { type: "promote", id: 3 }, "not-a-learner"],
          [l, { type: "add-learner", id: 1 }, "already-member"],
          [l, { type: "remove", id: -2 }, "invalid-change"],
        ];
        for (const [at, change, reason] of cases) {
          const error = await refusal(rafts[at]!.changeMembership(change));
          expect(error.reason).toBe(reason);
        }
        // Two at once: the second waits for the first, then applies (one change at a time).
        const a = rafts[l]!.changeMembership({ type: "demote", id: f });
        const b = rafts[l]!.changeMembership({ type: "promote", id: f });
        expect((await a).config.learners).toEqual([f]);
        expect((await b).config.voters).toContain(f);
        // Killed while a change is pending: it rejects with `killed`.
        const pending = rafts[l]!.changeMembership({ type: "remove", id: f });
        rafts[l]?.kill();
        expect((await refusal(pending)).reason).toBe("killed");
        for (const r of rafts) r.kill();
      })(),
    );
  });

  it("a learner that stays behind is not promoted by addVoter in time", async () => {
    const { sim, rafts, leader } = cluster(5, 4, 3, 0);
    await sim.settle(
      (async () => {
        const l = await leader();
        rafts[3]?.kill(); // never catches up
        const error = await refusal(rafts[l]!.addVoter(3, { catchUpMs: 500 }));
        expect(error.reason).toBe("learner-behind");
        expect(rafts[l]?.configuration()).toEqual(configuration([0, 1, 2], [3]));
        for (const r of rafts) r.kill();
      })(),
    );
  });
});

describe("bad input is a typed error", () => {
  it("an AppendEntries entry of an unknown kind, a corrupt snapshot configuration", () => {
    const base = { term: 1, leaderId: 0, prevLogIndex: 0, prevLogTerm: 0, leaderCommit: 0 };
    expect(() =>
      appendEntriesFromWire(
        { ...base, readContext: 0, entries: [{ term: 1, command: new Uint8Array(), kind: 7 }] },
        1,
      ),
    ).toThrow(RaftWireError);
    const snap = {
      term: 1,
      leaderId: 0,
      lastIncludedIndex: 3,
      lastIncludedTerm: 1,
      data: new Uint8Array(),
      hasConfig: true,
      voters: [1, 1],
      learners: [],
    };
    expect(() => installSnapshotFromWire(snap, 1)).toThrow(/listed twice/);
    expect(installSnapshotFromWire({ ...snap, voters: [0, 1] }, 1).snapshot.meta.config).toEqual({
      voters: [0, 1],
      learners: [],
    });
  });

  it("a core refuses a bad initial configuration or peer id", () => {
    const random = new Simulator({ seed: 1 }).random;
    expect(
      () => new RaftCore({ id: 0, initialConfiguration: { voters: [0, 0], learners: [] }, random }),
    ).toThrow(RaftUsageError);
    expect(() => new RaftCore({ id: -1, initialConfiguration: allVoters(3), random })).toThrow(
      RaftUsageError,
    );
    expect(() => new RaftCore({ id: 0, peerCount: 3, random, learnerCatchUpEntries: -1 })).toThrow(
      /learnerCatchUpEntries/,
    );
    // A peer outside its configuration (one that waits to join) is fine, and never campaigns.
    const joining = new RaftCore({ id: 9, initialConfiguration: EMPTY_CONFIGURATION, random });
    for (let t = 0; t < 1000; t++) joining.tick();
    expect(joining.status().role).toBe("follower");
    expect(joining.hasReady()).toBe(false);
  });

  it("a RaftNode without resolvePeer cannot reach a peer it was not given", () => {
    const sim = new Simulator({ seed: 1 });
    const node = new RaftNode({
      id: 0,
      peers: [],
      initialConfiguration: configuration([0], [5]),
      storage: new MemoryStorage(),
      clock: sim,
      random: sim.random,
      apply: () => {},
    });
    expect(node.configuration()).toEqual(configuration([0], [5]));
    node.kill();
  });
});
