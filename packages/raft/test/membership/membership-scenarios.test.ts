import { describe, expect, it } from "vitest";
import { configuration } from "../../src/index.js";
import { MembershipCluster, type MembershipClusterOptions } from "../../src/testing/index.js";

// Membership changes on the simulated network with faults: lost, delayed and reordered
// messages, partitions, crashes and restarts. Every run checks all along that no two peers
// apply different values at one index, that each peer applies in order, and that no term has
// two leaders; at the end, that a new value commits and every member has the same log and
// configuration. `MEMBERSHIP_SEEDS=N` runs N seeds per scenario (default 50). A failure names
// its seed.

const seedCount = (() => {
  const raw = process.env.MEMBERSHIP_SEEDS?.trim();
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : 50;
})();
const seeds = Array.from({ length: seedCount }, (_, i) => i + 1);
/** A generous wall-clock budget: it only guards against a hang (CI shares 2 cores). */
const budget = Math.max(180_000, seedCount * 6_000);

async function runSeeds(
  options: Omit<MembershipClusterOptions, "seed">,
  scenario: (c: MembershipCluster) => Promise<void>,
): Promise<number> {
  let committed = 0;
  for (const seed of seeds) {
    const c = new MembershipCluster({ ...options, seed });
    await c.run(scenario);
    committed += c.committedCount;
  }
  return committed;
}

describe("membership change under faults", () => {
  it(
    "grows 3 -> 5 and shrinks back to 3 while clients propose (lossy, reordering network)",
    async () => {
      const committed = await runSeeds(
        { voters: 3, slots: 5, unreliable: true, longReordering: true },
        async (c) => {
          const stopA = c.client(15);
          const stopB = c.client(40);
          await c.sim.sleep(500);
          c.start(3);
          await c.addVoter(3);
          c.start(4);
          await c.addVoter(4);
          await c.sim.sleep(300);
          await c.ensure({ type: "remove", id: 4 });
          await c.ensure({ type: "remove", id: 3 });
          stopA();
          stopB();
          c.setReliable();
          await c.checkConverged(configuration([0, 1, 2]));
        },
      );
      expect(committed).toBeGreaterThan(seeds.length * 20);
    },
    budget,
  );

  it(
    "replaces a crashed voter, with restarts and snapshots along the way",
    async () => {
      await runSeeds({ voters: 3, slots: 4, unreliable: true, snapshotEvery: 7 }, async (c) => {
        const stop = c.client(20);
        await c.sim.sleep(400);
        const dead = c.random.int(3);
        c.crash(dead); // for good
        c.start(3);
        // A random survivor crashes and restarts while the new peer joins.
        const other = (dead + 1 + c.random.int(2)) % 3;
        const add = c.addVoter(3);
        await c.sim.sleep(100 + c.random.int(400));
        c.crash(other);
        await c.sim.sleep(200 + c.random.int(300));
        c.start(other);
        await add;
        await c.ensure({ type: "remove", id: dead });
        stop();
        c.setReliable();
        const rest = [0, 1, 2, 3].filter((id) => id !== dead);
        await c.checkConverged(configuration(rest));
      });
    },
    budget,
  );

  it(
    "removes the leader while clients propose; the rest elect a new one; it comes back",
    async () => {
      await runSeeds({ voters: 3, slots: 3, unreliable: true }, async (c) => {
        const stop = c.client(15);
        await c.sim.sleep(400);
        let leader = c.leader();
        while (leader === undefined) {
          await c.sim.sleep(20);
          leader = c.leader();
        }
        await c.ensure({ type: "remove", id: leader });
        // The removed peer never campaigns: nobody's term grows because of it.
        await c.sim.sleep(2_000);
        const removed = c.nodes[leader];
        expect(removed?.getState().isLeader).toBe(false);
        // Back in, as a learner then a voter, with the log it kept.
        await c.addVoter(leader);
        stop();
        c.setReliable();
        await c.checkConverged(configuration([0, 1, 2]));
      });
    },
    budget,
  );

  it(
    "partitions and crashes during changes leave one configuration and one log",
    async () => {
      await runSeeds({ voters: 3, slots: 5, unreliable: true }, async (c) => {
        const stop = c.client(20);
        c.start(3);
        c.start(4);
        let chaosOn = true;
        // Random partitions, heals and crash-restarts while the changes run.
        const chaos = (async () => {
          while (chaosOn) {
            await c.sim.sleep(200 + c.random.int(600));
            if (!chaosOn) break;
            const roll = c.random.int(4);
            if (roll === 0) {
              const cut = c.random.int(5);
              c.partition([[0, 1, 2, 3, 4].filter((id) => id !== cut), [cut]]);
            } else if (roll === 1) {
              c.partition([[0, 1, 2, 3, 4].filter(() => c.random.int(2) === 0)]);
            } else if (roll === 2) {
              const id = c.random.int(5);
              c.crash(id);
              await c.sim.sleep(100 + c.random.int(300));
              c.start(id);
            } else {
              c.heal();
            }
          }
          c.heal();
        })();
        await c.addVoter(3);
        await c.ensure({ type: "remove", id: 0 }, 120_000);
        await c.addVoter(4);
        await c.ensure({ type: "demote", id: 1 }, 120_000);
        chaosOn = false;
        await chaos;
        stop();
        c.setReliable();
        await c.checkConverged(configuration([2, 3, 4], [1]));
      });
    },
    budget,
  );
});
