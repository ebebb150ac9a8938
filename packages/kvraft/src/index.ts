// The package's root holds what every key/value service here shares. The single-server service
// of lab 2 is the `@lab/kvraft/kvsrv` subpath; its harness is `@lab/kvraft/testing`.
export { ClerkBusyError, ClerkClosedError, KvError, KvUsageError } from "./errors.js";
