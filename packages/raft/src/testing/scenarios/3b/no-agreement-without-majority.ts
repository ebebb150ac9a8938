import { electionTimeoutMs } from "../3a/election-timeout.js";
import type { RaftScenario } from "../types.js";

/**
 * Five peers, three followers cut off: the leader accepts a command at index 2 but must not
 * commit it. After the network heals, the cluster agrees again; the uncommitted entry may have
 * been overwritten by a leader from the former majority, so the next command lands at 2 or 3.
 */
export const noAgreementWithoutMajority: RaftScenario = {
  name: "3B/no-agreement-without-majority",
  part: "3B",
  title: "no agreement if too many followers disconnect",
  cluster: { n: 5 },
  async run(cluster) {
    const n = cluster.n;
    await cluster.one(10, n, false);

    const leader = await cluster.checkOneLeader();
    const away = [(leader + 1) % n, (leader + 2) % n, (leader + 3) % n];
    for (const i of away) cluster.disconnect(i);

    const raft = cluster.rafts[leader];
    if (raft === undefined) return cluster.fail(`leader ${leader} is not running`);
    const { index, isLeader } = raft.start(20);
    if (!isLeader) cluster.fail("leader rejected Start()");
    if (index !== 2) cluster.fail(`expected index 2, got ${index}`);

    await cluster.sim.sleep(2 * electionTimeoutMs);
    const { count } = cluster.nCommitted(index);
    if (count > 0) cluster.fail(`${count} committed index ${index} but there is no majority`);

    // Repair the network.
    for (const i of away) cluster.connect(i);

    const leader2 = await cluster.checkOneLeader();
    const raft2 = cluster.rafts[leader2];
    if (raft2 === undefined) return cluster.fail(`leader ${leader2} is not running`);
    const second = raft2.start(30);
    if (!second.isLeader) cluster.fail("leader2 rejected Start()");
    if (second.index < 2 || second.index > 3) cluster.fail(`unexpected index ${second.index}`);

    await cluster.one(1000, n, true);
  },
};
