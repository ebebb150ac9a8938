import { crashAll } from "./3d/crash-all.js";
import {
  installCrash,
  installDisconnect,
  installDisconnectUnreliable,
  installUnreliableCrash,
  snapshotsBasic,
} from "./3d/install-snapshots.js";
import { snapshotInit } from "./3d/snapshot-init.js";
import type { RaftScenario } from "./types.js";

/** The course's 3D scenarios (log compaction), in the course's order. */
export const part3D: readonly RaftScenario[] = [
  snapshotsBasic,
  installDisconnect,
  installDisconnectUnreliable,
  installCrash,
  installUnreliableCrash,
  crashAll,
  snapshotInit,
];
