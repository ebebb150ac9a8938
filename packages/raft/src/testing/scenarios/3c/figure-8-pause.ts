import type { Random } from "@lab/labrpc";
import { RAFT_ELECTION_TIMEOUT_MS } from "../helpers/course-timing.js";

/**
 * The pause between two Figure 8 rounds: in one round out of ten anything up to half an
 * election timeout (so a new leader can get elected and replicate), otherwise 0-12 ms (so a
 * leader is usually replaced before its entries reach everyone).
 */
export function figure8Pause(random: Random): number {
  if (random.int(1000) < 100) return random.int(RAFT_ELECTION_TIMEOUT_MS / 2);
  return random.int(13);
}
