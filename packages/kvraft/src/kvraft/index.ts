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
export { addKvRaftService } from "./serve.js";
export { KvRaftServer, type KvRaftServerOptions } from "./server.js";
export { type ApplyOutcome, KvStateMachine } from "./state-machine.js";
