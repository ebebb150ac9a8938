export type { CallOptions, CallResult, ClientEnd, NoReplyReason } from "./client-end.js";
export type { Clock, Timer } from "./clock.js";
export {
  HandlerError,
  RpcUsageError,
  ServiceDefinitionError,
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
export { RpcServer } from "./rpc-server.js";
export { RealClock } from "./runtime/real-clock.js";
