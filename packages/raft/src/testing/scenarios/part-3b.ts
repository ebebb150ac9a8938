import { agreementAfterFollowerReconnects } from "./3b/agreement-after-follower-reconnects.js";
import { backup } from "./3b/backup.js";
import { basicAgreement } from "./3b/basic-agreement.js";
import { concurrentStarts } from "./3b/concurrent-starts.js";
import { failureOfLeaders } from "./3b/failure-of-leaders.js";
import { noAgreementWithoutMajority } from "./3b/no-agreement-without-majority.js";
import { progressiveFailureOfFollowers } from "./3b/progressive-failure-of-followers.js";
import { rejoinOfPartitionedLeader } from "./3b/rejoin-of-partitioned-leader.js";
import { rpcByteCount } from "./3b/rpc-byte-count.js";
import { rpcCounts } from "./3b/rpc-counts.js";
import type { RaftScenario } from "./types.js";

/** The course's 3B scenarios (log replication), in the course's order. */
export const part3B: readonly RaftScenario[] = [
  basicAgreement,
  rpcByteCount,
  progressiveFailureOfFollowers,
  failureOfLeaders,
  agreementAfterFollowerReconnects,
  noAgreementWithoutMajority,
  concurrentStarts,
  rejoinOfPartitionedLeader,
  backup,
  rpcCounts,
];
