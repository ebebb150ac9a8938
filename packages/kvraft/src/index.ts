// The package's root is the replicated key/value service of lab 4 (kvraft): servers on Raft and
// the clerk that finds their leader. The single-server service of lab 2 is the
// `@lab/kvraft/kvsrv` subpath; the harnesses of both are `@lab/kvraft/testing`.
export { ClerkBusyError, ClerkClosedError, KvError, KvUsageError } from "./errors.js";
export * from "./kvraft/index.js";
