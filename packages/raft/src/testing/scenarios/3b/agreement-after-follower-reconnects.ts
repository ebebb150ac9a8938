import { electionTimeoutMs } from "../3a/election-timeout.js";
import type { RaftScenario } from "../types.js";

/**
 * A follower misses four commits while disconnected; once back, it catches up and all three
 * peers commit the next commands.
 */
export const agreementAfterFollowerReconnects: RaftScenario = {
  name: "3B/agreement-after-follower-reconnects",
  part: "3B",
  title: "agreement after follower reconnects",
  cluster: { n: 3 },
  async run(cluster) {
    const n = cluster.n;
    await cluster.one(101, n, false);

    const leader = await cluster.checkOneLeader();
    const away = (leader + 1) % n;
    cluster.disconnect(away);

    // The leader and the remaining follower commit without it.
    await cluster.one(102, n - 1, false);
    await cluster.one(103, n - 1, false);
    await cluster.sim.sleep(electionTimeoutMs);
    await cluster.one(104, n - 1, false);
    await cluster.one(105, n - 1, false);

    // Back again: it must be brought up to date and take part in new commits.
    cluster.connect(away);
    await cluster.one(106, n, true);
    await cluster.sim.sleep(electionTimeoutMs);
    await cluster.one(107, n, true);
  },
};
