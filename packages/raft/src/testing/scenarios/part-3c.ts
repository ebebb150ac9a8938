import { basicPersistence } from "./3c/basic-persistence.js";
import { reliableChurn, unreliableChurn } from "./3c/churn.js";
import { figure8 } from "./3c/figure-8.js";
import { figure8Unreliable } from "./3c/figure-8-unreliable.js";
import { morePersistence } from "./3c/more-persistence.js";
import { partitionedLeaderCrash } from "./3c/partitioned-leader-crash.js";
import { unreliableAgreement } from "./3c/unreliable-agreement.js";
import type { RaftScenario } from "./types.js";

/** The course's 3C scenarios (persistence), in the course's order. */
export const part3C: readonly RaftScenario[] = [
  basicPersistence,
  morePersistence,
  partitionedLeaderCrash,
  figure8,
  unreliableAgreement,
  figure8Unreliable,
  reliableChurn,
  unreliableChurn,
];
