import { electionTimeoutMs } from "../3a/election-timeout.js";
import type { RaftScenario } from "../types.js";

/**
 * Two leaders in a row are cut off: the first time the other two carry on, the second time
 * the one peer left cannot commit the command that every peer was asked to start.
 */
export const failureOfLeaders: RaftScenario = {
  name: "3B/failure-of-leaders",
  part: "3B",
  title: "failure of leaders",
  cluster: { n: 3 },
  async run(cluster) {
    const n = cluster.n;
    await cluster.one(101, n, false);

    const leader1 = await cluster.checkOneLeader();
    cluster.disconnect(leader1);
    await cluster.one(102, n - 1, false);
    await cluster.sim.sleep(electionTimeoutMs);
    await cluster.one(103, n - 1, false);

    // Only one peer is left connected; whoever accepts 104 has no majority to commit it with.
    const leader2 = await cluster.checkOneLeader();
    cluster.disconnect(leader2);
    for (const raft of cluster.rafts) raft?.start(104);

    await cluster.sim.sleep(2 * electionTimeoutMs);
    const { count } = cluster.nCommitted(4);
    if (count > 0) cluster.fail(`${count} committed index 4 but there is no majority`);
  },
};
