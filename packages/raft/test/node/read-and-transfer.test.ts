import { codecs } from "@lab/labgob";
import { SeededRandom, Simulator } from "@lab/labrpc";
import { describe, expect, it } from "vitest";
import {
  makeRaft,
  Persister,
  type Raft,
  RaftCore,
  RaftUsageError,
  type ReadIndexResult,
} from "../../src/index.js";
import { ApplyWaiters } from "../../src/node/read-and-transfer.js";
import { RaftCluster } from "../../src/testing/index.js";

// The driver's API for reads and leadership transfer: results, errors and the apply wait.

describe("RaftNode.readIndex", () => {
  it("in a cluster of one: confirmed at once; waitForApply waits for a slow service", async () => {
    const sim = new Simulator({ seed: 1 });
    const applied: number[] = [];
    const raft: Raft<string> = makeRaft<string>({
      peers: [undefined],
      me: 0,
      persister: new Persister(),
      clock: sim,
      random: sim.random.fork("raft"),
      codec: codecs.string,
      // A service that takes 50 ms per command.
      apply: async (msg) => {
        await sim.sleep(50);
        if (msg.commandValid) applied.push(msg.commandIndex);
      },
    });
    await sim.settle(
      (async () => {
        while (!raft.getState().isLeader) await sim.sleep(10);
        for (const c of ["a", "b", "c"]) raft.start(c);
        const t0 = sim.now();
        const plain = await raft.readIndex();
        // Confirmed without any round (it is its own quorum), before the service caught up.
        expect(plain).toEqual({ ok: true, index: 3 });
        expect(sim.now() - t0).toBeLessThan(50);
        expect(applied.length).toBeLessThan(3);
        const waited = await raft.readIndex({ waitForApply: true });
        expect(waited).toEqual({ ok: true, index: 3 });
        // The service has finished with index 3 when the promise resolves.
        expect(applied).toEqual([1, 2, 3]);
        raft.kill();
      })(),
    );
  });

  it("refuses on a follower, fails on a killed node, resolves pending reads when killed", async () => {
    const c = new RaftCluster({ n: 3, seed: 7 });
    await c.run(async () => {
      await c.one(1, 3, true);
      const leader = await c.checkOneLeader();
      const follower = (leader + 1) % 3;
      expect(await c.readIndex(follower)).toEqual({ ok: false, reason: "not-leader" });
      const ok = await c.readIndex(leader, { waitForApply: true });
      expect(ok).toEqual({ ok: true, index: 1 });
      // Reads waiting for a quorum when the leader is killed resolve `killed`, not never.
      c.disconnect((leader + 1) % 3);
      c.disconnect((leader + 2) % 3);
      const pending = c.readIndex(leader);
      await c.sim.sleep(50);
      c.crash1(leader);
      expect(await pending).toEqual({ ok: false, reason: "killed" });
      expect(await c.readIndex(leader)).toEqual({ ok: false, reason: "killed" });
    });
  });

  it("a deposed leader's pending reads resolve stepped-down", async () => {
    const c = new RaftCluster({ n: 3, seed: 3 });
    await c.run(async () => {
      await c.one(1, 3, true);
      const leader = await c.checkOneLeader();
      c.disconnect(leader);
      const results: ReadIndexResult[] = [];
      for (let k = 0; k < 5; k++) {
        void c.readIndex(leader).then((r) => results.push(r));
        await c.sim.sleep(100);
      }
      await c.sim.sleep(1500);
      expect(results).toHaveLength(5);
      expect(results.every((r) => !r.ok && r.reason === "stepped-down")).toBe(true);
    });
  });
});

describe("RaftNode.transferLeadership", () => {
  it("throws RaftUsageError for itself or an unknown peer; refuses on a follower", async () => {
    const c = new RaftCluster({ n: 3, seed: 5 });
    await c.run(async () => {
      await c.one(1, 3, true);
      const leader = await c.checkOneLeader();
      const raft = c.rafts[leader] as Raft;
      expect(() => raft.transferLeadership(leader)).toThrow(RaftUsageError);
      expect(() => raft.transferLeadership(3)).toThrow(/voters are 0\.\.2/);
      expect(() => raft.transferLeadership(-1)).toThrow(RaftUsageError);
      expect(() => raft.transferLeadership(1.5)).toThrow(RaftUsageError);
      const follower = (leader + 1) % 3;
      expect(await c.transferLeadership(follower, leader)).toEqual({
        ok: false,
        reason: "not-leader",
      });
      const to = (leader + 2) % 3;
      const result = await c.transferLeadership(leader, to);
      expect(result.ok).toBe(true);
      expect(c.rafts[to]?.getState()).toEqual({
        term: result.ok ? result.term : -1,
        isLeader: true,
      });
      await c.one(2, 3, true);
    });
  });

  it("a second transfer to another peer supersedes the first (aborted)", async () => {
    const c = new RaftCluster({ n: 3, seed: 9 });
    await c.run(async () => {
      await c.one(1, 3, true);
      const leader = await c.checkOneLeader();
      const a = (leader + 1) % 3;
      const b = (leader + 2) % 3;
      c.disconnect(a);
      const first = c.transferLeadership(leader, a);
      await c.sim.sleep(20);
      const second = c.transferLeadership(leader, b);
      expect(await first).toEqual({ ok: false, reason: "aborted" });
      expect((await second).ok).toBe(true);
      c.connect(a);
      await c.one(2, 3, true);
    });
  });
});

describe("RaftCore settings and arguments", () => {
  const random = new SeededRandom(1);
  it("refuses lease reads without check-quorum, and a lease too short", () => {
    expect(
      () => new RaftCore({ id: 0, peerCount: 3, random, readMode: "lease", checkQuorum: false }),
    ).toThrow(RaftUsageError);
    expect(
      () => new RaftCore({ id: 0, peerCount: 3, random, readMode: "lease", leaseDriftTicks: 49 }),
    ).toThrow(/leaseDriftTicks/);
    expect(
      () => new RaftCore({ id: 0, peerCount: 3, random, readMode: "lease", leaseDriftTicks: 1.5 }),
    ).toThrow(RaftUsageError);
    expect(() => new RaftCore({ id: 0, peerCount: 3, random, readMode: "fast" as "safe" })).toThrow(
      /readMode/,
    );
    // Lease reads without check-quorum are refused; safe reads never need it.
    expect(() => new RaftCore({ id: 0, peerCount: 3, random, checkQuorum: false })).not.toThrow();
  });

  it("refuses request ids that are not non-negative safe integers", () => {
    const core = new RaftCore({ id: 0, peerCount: 1, random });
    for (const id of [-1, 0.5, Number.NaN, 2 ** 53]) {
      expect(() => core.readIndex(id), String(id)).toThrow(RaftUsageError);
    }
    expect(core.readIndex(0)).toBe("not-leader");
  });
});

describe("ApplyWaiters", () => {
  it("resolves each read once the apply loop passed its index, in any order of arrival", () => {
    const waiters = new ApplyWaiters();
    const done: string[] = [];
    const note = (tag: string) => (r: ReadIndexResult) => done.push(`${tag}:${JSON.stringify(r)}`);
    waiters.add(3, 5, note("a")); // already applied: at once
    waiters.add(9, 5, note("b"));
    waiters.add(7, 5, note("c"));
    waiters.add(9, 5, note("d"));
    expect(done).toEqual(['a:{"ok":true,"index":3}']);
    waiters.appliedThrough(8);
    expect(done.at(-1)).toBe('c:{"ok":true,"index":7}');
    expect(done).toHaveLength(2);
    waiters.appliedThrough(9);
    expect(done.slice(2)).toEqual(['b:{"ok":true,"index":9}', 'd:{"ok":true,"index":9}']);
    waiters.add(12, 9, note("e"));
    waiters.failAll();
    expect(done.at(-1)).toBe('e:{"ok":false,"reason":"killed"}');
  });
});
