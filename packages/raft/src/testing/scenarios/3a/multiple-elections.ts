import type { RaftScenario } from "../types.js";

/** Rounds of the multiple-elections scenario after the first election (the course's 10 - 1). */
const rounds = 9;

/**
 * Seven peers go through nine rounds of losing up to three random peers (the same peer may be
 * drawn twice, so sometimes fewer); the four or more left must always settle on one leader.
 */
export const multipleElections: RaftScenario = {
  name: "3A/multiple-elections",
  part: "3A",
  title: "multiple elections",
  cluster: { n: 7 },
  async run(cluster) {
    const n = cluster.n;
    await cluster.checkOneLeader();

    for (let round = 1; round <= rounds; round++) {
      const away = [cluster.random.int(n), cluster.random.int(n), cluster.random.int(n)];
      cluster.sim.trace("scenario.round", { round, away: away.join(",") });
      for (const i of away) cluster.disconnect(i);

      // Either the current leader is still connected, or the rest (a majority) elect one.
      await cluster.checkOneLeader();

      for (const i of away) cluster.connect(i);
    }

    await cluster.checkOneLeader();
  },
};
