export { RaftCluster, type RaftClusterOptions } from "./raft-cluster.js";
export { ScenarioFailure } from "./scenario-failure.js";
