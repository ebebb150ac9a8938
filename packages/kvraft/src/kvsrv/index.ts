export { ClerkBusyError, ClerkClosedError, KvError, KvUsageError } from "../errors.js";
export { Clerk, type ClerkOptions, type ClerkStats, makeClerk } from "./clerk.js";
export { KvServer, type KvServerOptions, type KvServerStats } from "./kv-server.js";
export {
  AppendReply,
  GetArgs,
  GetReply,
  KvsrvService,
  PutAppendArgs,
} from "./messages.js";
export { addKvsrvService } from "./serve.js";
