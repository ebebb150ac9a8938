import { electionAfterNetworkFailure } from "./3a/election-after-network-failure.js";
import { initialElection } from "./3a/initial-election.js";
import { multipleElections } from "./3a/multiple-elections.js";
import type { RaftScenario } from "./types.js";

/** The course's 3A scenarios (leader election), in the course's order. */
export const part3A: readonly RaftScenario[] = [
  initialElection,
  electionAfterNetworkFailure,
  multipleElections,
];
