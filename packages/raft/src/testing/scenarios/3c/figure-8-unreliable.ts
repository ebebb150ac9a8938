import { checkCourseTimeLimit, RAFT_ELECTION_TIMEOUT_MS } from "../helpers/course-timing.js";
import type { RaftScenario } from "../types.js";
import { FIGURE_8_ROUNDS } from "./figure-8.js";
import { figure8Pause } from "./figure-8-pause.js";

/** From this round on, the network also holds some replies back for a long time. */
const LONG_REORDERING_FROM_ROUND = 200;

/**
 * Figure 8 on a lossy network, with partitions instead of crashes: every round proposes on
 * every peer, and a connected peer that accepted as leader is cut off with probability one
 * half; a random cut-off peer rejoins whenever fewer than three are connected. From round 200
 * replies may also arrive very late and out of order. At the end the network heals and all
 * five must agree on one more command.
 */
export const figure8Unreliable: RaftScenario = {
  name: "3C/figure-8-unreliable",
  part: "3C",
  title: "Figure 8 (unreliable)",
  cluster: { n: 5, unreliable: true },
  async run(c) {
    const servers = c.n;
    const random = c.random;
    // The course uses small commands here (below 10000), so entries are short.
    const command = () => random.int(10_000);
    await c.one(command(), 1, true);

    let up = servers;
    for (let round = 0; round < FIGURE_8_ROUNDS; round++) {
      if (round === LONG_REORDERING_FROM_ROUND) c.setLongReordering(true);
      let leader = -1;
      for (let i = 0; i < servers; i++) {
        const r = c.rafts[i]?.start(command());
        if (r?.isLeader && c.connected[i]) leader = i;
      }
      await c.sim.sleep(figure8Pause(random));

      if (leader !== -1 && random.int(1000) < RAFT_ELECTION_TIMEOUT_MS / 2) {
        c.disconnect(leader);
        up--;
      }
      if (up < 3) {
        const s = random.int(servers);
        if (!c.connected[s]) {
          c.connect(s);
          up++;
        }
      }
    }

    for (let i = 0; i < servers; i++) {
      if (!c.connected[i]) c.connect(i);
    }
    await c.one(command(), servers, true);
    checkCourseTimeLimit(c);
  },
};
