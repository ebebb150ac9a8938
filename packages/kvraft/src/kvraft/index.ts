export {
  KvRaftClerk,
  type KvRaftClerkOptions,
  type KvRaftClerkStats,
  makeKvRaftClerk,
} from "./clerk.js";
export {
  KV_ERRS,
  type KvErr,
  KvGetArgs,
  KvGetReply,
  KvPutAppendArgs,
  KvPutAppendReply,
  KvRaftService,
} from "./messages.js";
export { KvOp, OP_KINDS, type OpKind } from "./op.js";
export { addKvRaftService, addKvService } from "./serve.js";
export {
  type KvRaftHooks,
  type KvRaftOnRaftOptions,
  KvRaftServer,
  type KvRaftServerOptions,
  type KvRaftServiceOptions,
  type KvReadPath,
} from "./server.js";
export { type ApplyOutcome, KvStateMachine } from "./state-machine.js";
