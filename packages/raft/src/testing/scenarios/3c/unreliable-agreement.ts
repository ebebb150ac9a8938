import { BackgroundTasks } from "../helpers/background-tasks.js";
import { checkCourseTimeLimit } from "../helpers/course-timing.js";
import type { RaftScenario } from "../types.js";

/**
 * Agreement on a lossy network: 49 rounds, each starting four concurrent `one()` calls (run in
 * the background) and then one more in the foreground, each needing just one peer to apply.
 * Then the network turns reliable, the background calls must all finish, and all five peers
 * must agree on one more command.
 */
export const unreliableAgreement: RaftScenario = {
  name: "3C/unreliable-agreement",
  part: "3C",
  title: "unreliable agreement",
  cluster: { n: 5, unreliable: true },
  async run(c) {
    const servers = c.n;
    const background = new BackgroundTasks();
    for (let iter = 1; iter < 50; iter++) {
      for (let j = 0; j < 4; j++) {
        const command = 100 * iter + j;
        background.spawn(async () => {
          await c.one(command, 1, true);
        });
      }
      await c.one(iter, 1, true);
      background.throwIfFailed();
    }
    c.setUnreliable(false);
    await background.join();
    await c.one(100, servers, true);
    checkCourseTimeLimit(c);
  },
};
