import type { RaftScenario } from "../types.js";

/** Tries before giving up when the term keeps changing, and the pause between tries. */
const tries = 5;
const pauseBetweenTriesMs = 3000;
/** Commands started concurrently in one try. */
const concurrent = 5;

/**
 * A leader handed several commands at once, by independent tasks, commits all of them on every
 * peer. A try whose term changes midway proves nothing and is repeated, at most five times.
 */
export const concurrentStarts: RaftScenario = {
  name: "3B/concurrent-starts",
  part: "3B",
  title: "concurrent Start()s",
  cluster: { n: 3 },
  async run(cluster) {
    const n = cluster.n;
    tryLoop: for (let attempt = 0; attempt < tries; attempt++) {
      if (attempt > 0) await cluster.sim.sleep(pauseBetweenTriesMs);

      const leader = await cluster.checkOneLeader();
      const raft = cluster.rafts[leader];
      if (raft === undefined) return cluster.fail(`leader ${leader} is not running`);
      const first = raft.start(1);
      if (!first.isLeader) continue;
      const term = first.term;

      // Each task is its own simulator event, so the starts interleave with whatever else is
      // due at that instant (replies, ticks), as the course's goroutines would.
      const started = await Promise.all(
        Array.from({ length: concurrent }, async (_, i) => {
          await cluster.sim.sleep(0);
          const r = raft.start(100 + i);
          return r.isLeader && r.term === term ? r.index : undefined;
        }),
      );

      for (let j = 0; j < n; j++) {
        if (cluster.rafts[j]?.getState().term !== term) continue tryLoop;
      }

      const committed: number[] = [];
      for (const index of started) {
        if (index === undefined) continue;
        const command = await cluster.wait(index, n, term);
        // Some peer moved to a later term: the entry may have been lost; try again.
        if (command === undefined) continue tryLoop;
        if (typeof command !== "number") {
          return cluster.fail(`value ${String(command)} is not a number`);
        }
        committed.push(command);
      }

      for (let i = 0; i < concurrent; i++) {
        const x = 100 + i;
        if (!committed.includes(x)) cluster.fail(`cmd ${x} missing in [${committed.join(", ")}]`);
      }
      return;
    }
    cluster.fail("term changed too often");
  },
};
