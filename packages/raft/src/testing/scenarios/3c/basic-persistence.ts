import { checkCourseTimeLimit } from "../helpers/course-timing.js";
import type { RaftScenario } from "../types.js";

/**
 * Restarts from persisted state: the whole cluster, then the leader, then a leader that was
 * away while the others committed, then a follower. Every commit must still happen.
 */
export const basicPersistence: RaftScenario = {
  name: "3C/basic-persistence",
  part: "3C",
  title: "basic persistence",
  cluster: { n: 3 },
  async run(c) {
    const servers = c.n;
    await c.one(11, servers, true);

    // Crash and restart everyone; the term and log must come back from the persisters.
    for (let i = 0; i < servers; i++) c.start1(i);
    for (let i = 0; i < servers; i++) {
      c.disconnect(i);
      c.connect(i);
    }
    await c.one(12, servers, true);

    const leader1 = await c.checkOneLeader();
    c.disconnect(leader1);
    c.start1(leader1);
    c.connect(leader1);
    await c.one(13, servers, true);

    // The leader misses a commit, restarts, and must catch up before the next victim goes.
    const leader2 = await c.checkOneLeader();
    c.disconnect(leader2);
    await c.one(14, servers - 1, true);
    c.start1(leader2);
    c.connect(leader2);
    await c.wait(4, servers, -1);

    const i3 = ((await c.checkOneLeader()) + 1) % servers;
    c.disconnect(i3);
    await c.one(15, servers - 1, true);
    c.start1(i3);
    c.connect(i3);
    await c.one(16, servers, true);
    checkCourseTimeLimit(c);
  },
};
