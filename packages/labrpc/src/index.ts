export type { CallOptions, CallResult, ClientEnd, NoReplyReason } from "./client-end.js";
export type { Clock, Timer } from "./clock.js";
export {
  HandlerError,
  RpcUsageError,
  ServiceDefinitionError,
  SimulationDeadlockError,
  SimulationTimeoutError,
  UnknownMethodError,
} from "./errors.js";
export type {
  CallContext,
  MethodCodecs,
  MethodDescriptor,
  ServiceDescriptor,
  ServiceImpl,
} from "./method.js";
export { defineService } from "./method.js";
export { courseFaultModel, type FaultModel } from "./network/fault-model.js";
export { Network, type NetworkOptions } from "./network/network.js";
export { type Random, SeededRandom } from "./random.js";
export { RpcServer } from "./rpc-server.js";
export { RealClock } from "./runtime/real-clock.js";
export { type RunOptions, Simulator, type SimulatorOptions } from "./sim/simulator.js";
export { MemoryTracer, noopTracer, type TraceEvent, type Tracer } from "./trace.js";
