import { RpcServer } from "@lab/labrpc";
import { KvRaftService } from "./messages.js";
import type { KvRaftServer } from "./server.js";

/**
 * Registers `server` on `rpc` (a new `RpcServer` by default): the `KVServer` service and, beside
 * it, its Raft peer's `Raft` service, as the course's tester does. Returns `rpc`, ready for
 * `network.addServer(name, rpc)` or a TCP transport.
 */
export function addKvRaftService(
  server: KvRaftServer,
  rpc: RpcServer = new RpcServer(),
): RpcServer {
  addKvService(server, rpc);
  server.registerRaft(rpc);
  return rpc;
}

/**
 * Registers the `KVServer` service of `server` on `rpc`, without its Raft peer's `Raft` service
 * (for a peer whose `Raft` service is registered by whoever made it, like `RaftServer`).
 */
export function addKvService(server: KvRaftServer, rpc: RpcServer): RpcServer {
  return rpc.addService(KvRaftService, {
    Get: (args) => server.get(args),
    Put: (args) => server.put(args),
    Append: (args) => server.append(args),
  });
}
