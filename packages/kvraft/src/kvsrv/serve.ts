import { RpcServer } from "@lab/labrpc";
import type { KvServer } from "./kv-server.js";
import { KvsrvService } from "./messages.js";

/**
 * Registers `server` as the `KVServer` service on `rpc` (a new `RpcServer` by default) and
 * returns it, ready for `network.addServer(name, rpc)` or `transport.serve(rpc)`.
 */
export function addKvsrvService(server: KvServer, rpc: RpcServer = new RpcServer()): RpcServer {
  return rpc.addService(KvsrvService, {
    Get: (args) => server.get(args),
    Put: (args) => server.put(args),
    Append: (args) => server.append(args),
  });
}
