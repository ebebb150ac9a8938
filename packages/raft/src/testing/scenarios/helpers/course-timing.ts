import type { RaftCluster } from "../../raft-cluster.js";

/** The course's `RaftElectionTimeout` (1 s): what its tests sleep to let an election happen. */
export const RAFT_ELECTION_TIMEOUT_MS = 1000;

/** The course's tester fails any single test that runs longer than this (120 s). */
export const COURSE_TEST_LIMIT_MS = 120_000;

/**
 * The course's end-of-test time check, on virtual time: a scenario that needs more than
 * {@link COURSE_TEST_LIMIT_MS} fails even when every agreement was eventually reached.
 */
export function checkCourseTimeLimit(cluster: RaftCluster): void {
  const elapsed = cluster.sim.now();
  if (elapsed > COURSE_TEST_LIMIT_MS) {
    cluster.fail(`test took ${elapsed} ms of virtual time, longer than ${COURSE_TEST_LIMIT_MS} ms`);
  }
}
