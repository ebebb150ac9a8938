export { directoryArtifactWriter } from "../node/artifact-writer.js";
export { nodeHeapProbe } from "../node/heap-probe.js";
export type { ArtifactWriter } from "./artifacts.js";
export { type HeapProbe, HeapProbeUnavailableError } from "./heap-probe.js";
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
export { type OperationSink, TestClerk } from "./kvsrv/test-clerk.js";
export { ScenarioFailure } from "./scenario-failure.js";
