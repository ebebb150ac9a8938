import { describe, expect, it } from "vitest";
import type { RaftTuning } from "../../src/node/raft-node.js";
import { RaftCluster } from "../../src/testing/index.js";

// Pre-vote and check-quorum on the course's simulated cluster (long delays, a reliable
// network), with this package's defaults (both on) unless a test turns one off.

const seeds = (count: number, first = 1) => Array.from({ length: count }, (_, i) => first + i);

function states(c: RaftCluster): { term: number; isLeader: boolean }[] {
  return c.rafts.map((r) => r?.getState() ?? { term: -1, isLeader: false });
}

interface RejoinOutcome {
  leaderBefore: number;
  termBefore: number;
  leaderAfter: number;
  termsAfter: number[];
  /** The isolated follower's term just before it rejoined. */
  isolatedTerm: number;
}

/**
 * 5 peers elect a leader and commit a command; one follower is cut off for 10 s of virtual
 * time and comes back; after 3 s more (several election timeouts) the cluster commits again.
 */
async function partitionFollowerAndRejoin(seed: number, tuning?: RaftTuning) {
  const c = new RaftCluster({ n: 5, seed, ...(tuning !== undefined ? { tuning } : {}) });
  let outcome: RejoinOutcome | undefined;
  await c.run(async () => {
    await c.one(101, 5, true);
    const leaderBefore = await c.checkOneLeader();
    const termBefore = states(c)[leaderBefore]?.term ?? -1;
    const others = [0, 1, 2, 3, 4].filter((i) => i !== leaderBefore);
    const isolated = others[c.random.int(others.length)] as number;
    c.disconnect(isolated);
    await c.sim.sleep(10_000);
    const isolatedTerm = states(c)[isolated]?.term ?? -1;
    c.connect(isolated);
    await c.sim.sleep(3_000);
    const leaderAfter = await c.checkOneLeader();
    await c.one(102, 5, true);
    outcome = {
      leaderBefore,
      termBefore,
      leaderAfter,
      termsAfter: states(c).map((s) => s.term),
      isolatedTerm,
    };
  });
  if (outcome === undefined) throw new Error("scenario did not finish");
  return outcome;
}

describe("pre-vote: a partitioned follower that rejoins does not disrupt the leader", () => {
  it("5 peers, one follower cut off for 10 s: same leader, same term, on 50 seeds", async () => {
    for (const seed of seeds(50)) {
      const o = await partitionFollowerAndRejoin(seed);
      const where = `seed ${seed}`;
      // Cut off, it never raised its term: pre-votes change nothing.
      expect(o.isolatedTerm, where).toBe(o.termBefore);
      expect(o.leaderAfter, where).toBe(o.leaderBefore);
      expect(o.termsAfter, where).toEqual([
        o.termBefore,
        o.termBefore,
        o.termBefore,
        o.termBefore,
        o.termBefore,
      ]);
    }
  });

  it("has teeth: without pre-vote the same rejoin deposes the leader on every seed", async () => {
    for (const seed of seeds(10)) {
      const o = await partitionFollowerAndRejoin(seed, { preVote: false });
      const where = `seed ${seed}`;
      // About one election per timeout while cut off: ~10 s / 0.75 s.
      expect(o.isolatedTerm, where).toBeGreaterThan(o.termBefore + 5);
      // Its replies carry that term: the leader steps down and a later term takes over.
      expect(Math.min(...o.termsAfter), where).toBeGreaterThan(o.isolatedTerm - 1);
    }
  });
});

/** Cuts the leader off from all 4 followers; returns how long it kept believing it leads. */
async function leaderCutOff(seed: number, tuning?: RaftTuning): Promise<number> {
  const c = new RaftCluster({ n: 5, seed, ...(tuning !== undefined ? { tuning } : {}) });
  let held = -1;
  await c.run(async () => {
    await c.one(101, 5, true);
    const leader = await c.checkOneLeader();
    const cutAt = c.sim.now();
    c.disconnect(leader);
    while (c.rafts[leader]?.getState().isLeader && c.sim.now() - cutAt < 5_000) {
      await c.sim.sleep(10);
    }
    held = c.sim.now() - cutAt;
    // The others, with a majority, elect a leader of a later term.
    await c.checkOneLeader();
  });
  return held;
}

describe("check-quorum: a leader cut off from its majority steps down", () => {
  it("within two minimum election timeouts (2 x 500 ms) of its last answer, on 20 seeds", async () => {
    for (const seed of seeds(20)) {
      const held = await leaderCutOff(seed);
      // Checks run every 500 ms; the first to find no quorum is at most 1000 ms after the
      // disconnection (plus the 10 ms polling step).
      expect(held, `seed ${seed}`).toBeLessThanOrEqual(1_010);
      expect(held, `seed ${seed}`).toBeGreaterThan(0);
    }
  });

  it("has teeth: without check-quorum the cut-off leader still leads after 5 s", async () => {
    for (const seed of seeds(5)) {
      expect(
        await leaderCutOff(seed, { checkQuorum: false }),
        `seed ${seed}`,
      ).toBeGreaterThanOrEqual(5_000);
    }
  });
});
