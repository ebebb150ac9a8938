/**
 * `@lab/raft/server`: {@link RaftServer}, one Raft peer as a process-level server, on a durable
 * `DiskStorage` and the TCP transport of `@lab/labrpc`. A separate entry point because it uses
 * `node:fs` and `node:net`; `@lab/raft` itself has no file system code.
 *
 * @packageDocumentation
 */
export {
  RaftServer,
  type RaftServerOptions,
  type RecoveredState,
} from "../node/raft-server.js";
