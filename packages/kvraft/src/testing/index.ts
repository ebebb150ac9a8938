export { directoryArtifactWriter } from "../node/artifact-writer.js";
export { nodeHeapProbe } from "../node/heap-probe.js";
export { nodeMemoryUsageProbe } from "../node/memory-usage-probe.js";
export type { ArtifactWriter } from "./artifacts.js";
export {
  checkAgainstFinalValue,
  type FinalValueVerdict,
  finalValueHistoryProblem,
  finalValueModel,
} from "./final-value-check.js";
export { type HeapProbe, HeapProbeUnavailableError } from "./heap-probe.js";
export {
  KV_RELIABLE_DELAY_MAX_MS,
  KVRAFT_READ_MODES,
  KvraftHarness,
  type KvraftHarnessOptions,
  type KvraftPeer,
  type KvraftPeerArgs,
  type KvraftPeerFactory,
  type KvraftReadMode,
  type KvraftTestClerk,
  type MakeClientOptions,
  makeKvRaftPeer,
} from "./kvraft/kvraft-harness.js";
export {
  type KvraftRunOptions,
  type KvraftRunResult,
  runKvraftScenario,
} from "./kvraft/run-scenario.js";
export { type KvraftGenericShape, runKvraftGenericTest } from "./kvraft/scenarios/generic.js";
export {
  findKvraftScenario,
  kvraftScenarios,
  kvraftScenariosOf,
} from "./kvraft/scenarios/index.js";
export type { KvraftLabPart, KvraftScenario } from "./kvraft/scenarios/types.js";
export {
  checkKvHistory,
  type KvHistoryVerdict,
  LINEARIZABILITY_BUDGET_MS,
} from "./kvsrv/check-history.js";
export {
  type KvsrvHandlers,
  KvsrvHarness,
  type KvsrvHarnessOptions,
  type KvsrvServerFactory,
  type MakeClerkOptions,
} from "./kvsrv/kvsrv-harness.js";
export {
  type KvsrvRunOptions,
  type KvsrvRunResult,
  runKvsrvScenario,
} from "./kvsrv/run-scenario.js";
export { type GenericTestShape, runGenericTest } from "./kvsrv/scenarios/generic.js";
export { findKvsrvScenario, kvsrvScenarios } from "./kvsrv/scenarios/index.js";
export type { KvsrvScenario, ScenarioContext } from "./kvsrv/scenarios/types.js";
export { ScenarioFailure } from "./scenario-failure.js";
export type { ScenarioRunResult } from "./scenario-result.js";
export { SimulatedKvHarness, type SimulatedKvHarnessOptions } from "./simulated-kv-harness.js";
export { type OperationSink, type RecordableClerk, TestClerk } from "./test-clerk.js";
