/**
 * `@lab/kvraft/server`: kvraft on real machines. {@link startKvRaftServer} runs one server of a
 * cluster over TCP with a durable `DiskStorage` (Raft and `KVServer` on one port), and
 * {@link connectKvRaft} makes clerks that reach the cluster over TCP. A separate entry point
 * because it uses `node:fs` and `node:net`; `@lab/kvraft` itself has neither.
 *
 * @packageDocumentation
 */
export { connectKvRaft, KvRaftConnection, type KvRaftConnectOptions } from "./connect.js";
export {
  DEFAULT_MAX_RAFT_STATE,
  KvRaftProcess,
  type KvRaftProcessOptions,
  startKvRaftServer,
} from "./kvraft-process.js";
