import { electionTimeoutMs } from "../3a/election-timeout.js";
import type { RaftScenario } from "../types.js";

/**
 * A leader keeps committing with one follower gone, and stops committing (though it still
 * accepts the command at the next index) once both followers are gone.
 */
export const progressiveFailureOfFollowers: RaftScenario = {
  name: "3B/progressive-failure-of-followers",
  part: "3B",
  title: "progressive failure of followers",
  cluster: { n: 3 },
  async run(cluster) {
    const n = cluster.n;
    await cluster.one(101, n, false);

    // One follower away: the other two still form a majority.
    const leader1 = await cluster.checkOneLeader();
    cluster.disconnect((leader1 + 1) % n);
    await cluster.one(102, n - 1, false);
    await cluster.sim.sleep(electionTimeoutMs);
    await cluster.one(103, n - 1, false);

    // Both followers away: the leader takes the command but cannot commit it.
    const leader2 = await cluster.checkOneLeader();
    cluster.disconnect((leader2 + 1) % n);
    cluster.disconnect((leader2 + 2) % n);
    const raft = cluster.rafts[leader2];
    if (raft === undefined) return cluster.fail(`leader ${leader2} is not running`);
    const { index, isLeader } = raft.start(104);
    if (!isLeader) cluster.fail("leader rejected Start()");
    if (index !== 4) cluster.fail(`expected index 4, got ${index}`);

    await cluster.sim.sleep(2 * electionTimeoutMs);
    const { count } = cluster.nCommitted(index);
    if (count > 0) cluster.fail(`${count} committed index ${index} but there is no majority`);
  },
};
