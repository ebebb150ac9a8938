export type { CallOptions, CallResult, ClientEnd, NoReplyReason } from "./client-end.js";
export type { Clock, Timer } from "./clock.js";
export {
  BadRequestError,
  HandlerError,
  RpcUsageError,
  ServiceDefinitionError,
  SimulationDeadlockError,
  SimulationTimeoutError,
  UnknownMethodError,
} from "./errors.js";
export {
  type LocalDelivery,
  type LocalServer,
  LocalTransport,
  type LocalTransportOptions,
  type LocalTransportStats,
} from "./local/local-transport.js";
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
export { type DispatchOptions, RpcServer } from "./rpc-server.js";
export { RealClock } from "./runtime/real-clock.js";
export { type RunOptions, Simulator, type SimulatorOptions } from "./sim/simulator.js";
export type { HostPort, TcpAddress } from "./tcp/address.js";
export type { BackoffOptions } from "./tcp/backoff.js";
export { FrameCorruptError, FrameTooLargeError } from "./tcp/frame-errors.js";
export type { TcpClientOptions, TcpCommonOptions, TcpServerOptions } from "./tcp/options.js";
export {
  TcpClientEnd,
  type TcpClientStats,
  type TcpConnectionState,
} from "./tcp/tcp-client-end.js";
export { type TcpCloseOptions, TcpServer } from "./tcp/tcp-server.js";
export { TcpTransport, type TcpTransportOptions } from "./tcp/tcp-transport.js";
export { MemoryTracer, noopTracer, type TraceEvent, type Tracer } from "./trace.js";
