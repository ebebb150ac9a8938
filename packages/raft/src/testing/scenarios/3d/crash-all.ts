import { checkCourseTimeLimit } from "../helpers/course-timing.js";
import { randomCommand } from "../helpers/random-command.js";
import type { RaftScenario } from "../types.js";
import { entriesForASnapshot } from "./snapshot-limits.js";

/**
 * Five rounds of: commit 5-14 commands and one more, crash all three peers, restart them all.
 * The next command must land after the last one committed before the crash: a peer that lost
 * its snapshot or its log on restart would hand out an old index.
 */
export const crashAll: RaftScenario = {
  name: "3D/crash-all",
  part: "3D",
  title: "crash and restart all servers",
  cluster: { n: 3, snapshot: true },
  async run(c) {
    const servers = c.n;
    const random = c.random;
    await c.one(randomCommand(random), servers, true);

    for (let round = 0; round < 5; round++) {
      // Perhaps enough to get a snapshot.
      const count = entriesForASnapshot((n) => random.int(n));
      for (let k = 0; k < count; k++) await c.one(randomCommand(random), servers, true);
      const before = await c.one(randomCommand(random), servers, true);

      for (let i = 0; i < servers; i++) c.crash1(i);
      for (let i = 0; i < servers; i++) {
        c.start1(i);
        c.connect(i);
      }

      const after = await c.one(randomCommand(random), servers, true);
      if (after < before + 1) c.fail(`round ${round}: index decreased from ${before} to ${after}`);
    }
    checkCourseTimeLimit(c);
  },
};
