import type { RaftScenario } from "../types.js";

/**
 * A leader cut off with three uncommitted entries comes back after the majority moved on: its
 * entries must be overwritten, not committed, and the cluster keeps agreeing with two peers and
 * then with all three.
 */
export const rejoinOfPartitionedLeader: RaftScenario = {
  name: "3B/rejoin-of-partitioned-leader",
  part: "3B",
  title: "rejoin of partitioned leader",
  cluster: { n: 3 },
  async run(cluster) {
    const n = cluster.n;
    await cluster.one(101, n, true);

    // The leader is partitioned and takes three commands that can never commit.
    const leader1 = await cluster.checkOneLeader();
    cluster.disconnect(leader1);
    const old = cluster.rafts[leader1];
    old?.start(102);
    old?.start(103);
    old?.start(104);

    // The other two elect a leader and commit at index 2.
    await cluster.one(103, 2, true);

    // That leader is partitioned and the old one returns to the remaining peer.
    const leader2 = await cluster.checkOneLeader();
    cluster.disconnect(leader2);
    cluster.connect(leader1);
    await cluster.one(104, 2, true);

    // Everyone back together.
    cluster.connect(leader2);
    await cluster.one(105, n, true);
  },
};
