import type { RaftCluster } from "../../raft-cluster.js";
import { checkCourseTimeLimit } from "../helpers/course-timing.js";
import { randomCommand } from "../helpers/random-command.js";
import type { RaftScenario } from "../types.js";
import { SNAPSHOT_INTERVAL } from "./snapshot-limits.js";

function restartAll(c: RaftCluster): void {
  for (let i = 0; i < c.n; i++) c.crash1(i);
  for (let i = 0; i < c.n; i++) {
    c.start1(i);
    c.connect(i);
  }
}

/**
 * Commits enough for a snapshot, restarts everyone, commits one command (which makes every
 * peer persist again), restarts everyone again and commits once more. A Raft that does not
 * load its snapshot at start, and then persists its state with an empty snapshot, has lost the
 * compacted prefix by the second restart and cannot serve the last commit.
 */
export const snapshotInit: RaftScenario = {
  name: "3D/snapshot-init",
  part: "3D",
  title: "snapshot initialization after crash",
  cluster: { n: 3, snapshot: true },
  async run(c) {
    const servers = c.n;
    const random = c.random;
    await c.one(randomCommand(random), servers, true);
    for (let k = 0; k < SNAPSHOT_INTERVAL + 1; k++) {
      await c.one(randomCommand(random), servers, true);
    }

    restartAll(c);
    // One command, so that every peer writes its state back to its persister.
    await c.one(randomCommand(random), servers, true);

    restartAll(c);
    await c.one(randomCommand(random), servers, true);
    checkCourseTimeLimit(c);
  },
};
