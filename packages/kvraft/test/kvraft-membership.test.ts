import { describe, expect, it } from "vitest";
import { KvRaftServer } from "../src/index.js";
import { addKvRaftService } from "../src/kvraft/serve.js";
import { KvraftHarness } from "../src/testing/index.js";

// Raft membership changes take log indexes without a command: the key/value servers must
// consume them (and snapshot across them) and keep serving.

describe("KvRaftServer under Raft membership changes", () => {
  it.each([1, 2, 3])("skips config entries, snapshots across them (seed %i)", async (seed) => {
    const servers: KvRaftServer[] = [];
    const h = new KvraftHarness({
      n: 3,
      seed,
      maxRaftState: 400,
      peerFactory: (args) => {
        const server = new KvRaftServer({
          peers: args.peers,
          me: args.me,
          persister: args.persister,
          maxRaftState: args.maxRaftState,
          clock: args.clock,
          random: args.random,
          onFatal: args.onFatal,
        });
        servers[args.me] = server;
        return {
          register: (rpc) => addKvRaftService(server, rpc),
          isLeader: () => server.raft.getState().isLeader,
          kill: () => server.kill(),
        };
      },
    });
    await h.run(async () => {
      const ck = h.makeClient();
      await ck.put("k", "0");
      let leader = servers.findIndex((s) => s.raft.getState().isLeader);
      while (leader < 0) {
        await h.sim.sleep(20);
        leader = servers.findIndex((s) => s.raft.getState().isLeader);
      }
      const follower = (leader + 1) % 3;
      const raft = servers[leader]?.raft;
      const demoted = await raft?.changeMembership({ type: "demote", id: follower });
      expect(demoted?.config.learners).toEqual([follower]);
      for (let i = 1; i <= 20; i++) await ck.append("k", `,${i}`);
      await raft?.changeMembership({ type: "promote", id: follower });
      await ck.append("k", ",end");
      const want = `0${Array.from({ length: 20 }, (_, i) => `,${i + 1}`).join("")},end`;
      expect(await ck.get("k")).toBe(want);
      // Every server, the demoted and promoted one too, applied through the last index.
      const last = raft?.status().commit ?? 0;
      for (let t = 0; t < 100 && servers.some((s) => s.stats().applied < last); t++) {
        await h.sim.sleep(20);
      }
      for (const s of servers) expect(s.stats().applied).toBeGreaterThanOrEqual(last);
      for (const s of servers) expect(s.peek("k")).toBe(want);
      // The leader's snapshot covers the config entries (maxRaftState is small).
      expect(raft?.status().snapshotIndex ?? 0).toBeGreaterThan(demoted?.index ?? Infinity);
    });
    h.cleanup();
  });
});
