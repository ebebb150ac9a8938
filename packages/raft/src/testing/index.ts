export { DelayedSyncStorage } from "./delayed-sync-storage.js";
export * as interaction from "./interaction/index.js";
export { MembershipCluster, type MembershipClusterOptions } from "./membership-cluster.js";
export { RaftCluster, type RaftClusterOptions } from "./raft-cluster.js";
export {
  makeLabRaftPeer,
  type RaftPeer,
  type RaftPeerArgs,
  type RaftPeerFactory,
} from "./raft-peer.js";
export { ScenarioFailure } from "./scenario-failure.js";
export {
  findScenario,
  type RaftLabPart,
  type RaftScenario,
  raftScenarios,
  runScenario,
  type ScenarioRunOptions,
  type ScenarioRunResult,
} from "./scenarios/index.js";
export {
  type StorageComplianceCase,
  type StorageHarness,
  storageComplianceCases,
} from "./storage-compliance.js";
