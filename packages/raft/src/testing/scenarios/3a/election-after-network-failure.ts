import type { RaftScenario } from "../types.js";
import { electionTimeoutMs } from "./election-timeout.js";

/**
 * Leaders are replaced when cut off, a returning old leader does not disturb the new one, and a
 * peer without a majority never leads.
 */
export const electionAfterNetworkFailure: RaftScenario = {
  name: "3A/election-after-network-failure",
  part: "3A",
  title: "election after network failure",
  cluster: { n: 3 },
  async run(cluster) {
    const n = cluster.n;
    const leader1 = await cluster.checkOneLeader();

    // The remaining two must elect a new leader.
    cluster.disconnect(leader1);
    await cluster.checkOneLeader();

    // The old leader returns; it must step down rather than make a second leader.
    cluster.connect(leader1);
    const leader2 = await cluster.checkOneLeader();

    // With two of three gone, the lone connected peer can never win an election.
    cluster.disconnect(leader2);
    cluster.disconnect((leader2 + 1) % n);
    await cluster.sim.sleep(2 * electionTimeoutMs);
    cluster.checkNoLeader();

    // A majority again: a leader must appear.
    cluster.connect((leader2 + 1) % n);
    await cluster.checkOneLeader();

    // Everyone back: still exactly one leader.
    cluster.connect(leader2);
    await cluster.checkOneLeader();
  },
};
