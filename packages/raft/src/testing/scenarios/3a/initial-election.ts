import type { RaftScenario } from "../types.js";
import { electionTimeoutMs } from "./election-timeout.js";

/**
 * Three peers on a healthy network elect a leader within the check's ~5 s, all agree on a term
 * of at least 1, and stay with a leader through two idle election timeouts.
 */
export const initialElection: RaftScenario = {
  name: "3A/initial-election",
  part: "3A",
  title: "initial election",
  cluster: { n: 3 },
  async run(cluster) {
    await cluster.checkOneLeader();

    // Give the followers a moment to learn the winner's term from its first heartbeat.
    await cluster.sim.sleep(50);
    const term1 = cluster.checkTerms();
    if (term1 < 1) cluster.fail(`term is ${term1}, but should be at least 1`);

    // Without failures the term should stay put; the course only warns when it does not, since
    // an unlucky split vote is legal. The warning goes to the trace; the leader check is kept.
    await cluster.sim.sleep(2 * electionTimeoutMs);
    const term2 = cluster.checkTerms();
    if (term1 !== term2) {
      cluster.sim.trace("scenario.warning", {
        message: "term changed even though there were no failures",
        from: term1,
        to: term2,
      });
    }

    await cluster.checkOneLeader();
  },
};
