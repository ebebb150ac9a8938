import { checkCourseTimeLimit } from "../helpers/course-timing.js";
import type { RaftScenario } from "../types.js";

/**
 * A follower is cut off; leader and the other follower commit 102 and both crash. The cut-off
 * follower (without 102) comes back with the restarted old leader: they must commit 103 after
 * 102, so the restarted leader's persisted log has to win the election.
 */
export const partitionedLeaderCrash: RaftScenario = {
  name: "3C/partitioned-leader-crash",
  part: "3C",
  title: "partitioned leader and one follower crash, leader restarts",
  cluster: { n: 3 },
  async run(c) {
    const servers = c.n;
    await c.one(101, servers, true);

    const leader = await c.checkOneLeader();
    const peer = (k: number) => (leader + k) % servers;
    c.disconnect(peer(2));
    await c.one(102, 2, true);

    c.crash1(peer(0));
    c.crash1(peer(1));
    c.connect(peer(2));
    c.start1(peer(0));
    c.connect(peer(0));
    await c.one(103, 2, true);

    c.start1(peer(1));
    c.connect(peer(1));
    await c.one(104, servers, true);
    checkCourseTimeLimit(c);
  },
};
