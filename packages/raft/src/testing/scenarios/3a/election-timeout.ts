/**
 * The course's `RaftElectionTimeout` (1 s): the unit its scenarios sleep in. It is longer than
 * any election timeout a correct peer uses, so "sleep one election timeout" means "long enough
 * for an election to have happened if one was going to".
 */
export const electionTimeoutMs = 1000;
