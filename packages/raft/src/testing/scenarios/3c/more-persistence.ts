import { checkCourseTimeLimit, RAFT_ELECTION_TIMEOUT_MS } from "../helpers/course-timing.js";
import type { RaftScenario } from "../types.js";

/**
 * Five rounds on five peers: two followers miss a commit, then the three that made it are cut
 * off and the two stale peers restart; a third peer (which has the commit) restarts a second
 * later, and the three must commit together, so the stale pair has to learn the missing
 * entries from it.
 */
export const morePersistence: RaftScenario = {
  name: "3C/more-persistence",
  part: "3C",
  title: "more persistence",
  cluster: { n: 5 },
  async run(c) {
    const servers = c.n;
    let index = 1;
    for (let iter = 0; iter < 5; iter++) {
      await c.one(10 + index++, servers, true);

      const leader1 = await c.checkOneLeader();
      const peer = (k: number) => (leader1 + k) % servers;
      c.disconnect(peer(1));
      c.disconnect(peer(2));
      await c.one(10 + index++, servers - 2, true);

      c.disconnect(peer(0));
      c.disconnect(peer(3));
      c.disconnect(peer(4));

      c.start1(peer(1));
      c.start1(peer(2));
      c.connect(peer(1));
      c.connect(peer(2));
      await c.sim.sleep(RAFT_ELECTION_TIMEOUT_MS);

      c.start1(peer(3));
      c.connect(peer(3));
      await c.one(10 + index++, servers - 2, true);

      c.connect(peer(4));
      c.connect(peer(0));
    }
    await c.one(1000, servers, true);
    checkCourseTimeLimit(c);
  },
};
