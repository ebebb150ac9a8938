import { KvRaftService } from "@lab/kvraft";
import type { RpcServer } from "@lab/labrpc";

/**
 * The baseline of the kvraft suite: a plain `Map` behind the same `KVServer` service (same
 * descriptor, same messages, so the same `KvRaftClerk` drives it), answering at once. It
 * replicates nothing and persists nothing: what is left is the transport, the codecs and the
 * clerk, which is the limit any replicated service on that transport is measured against.
 */
export function addPlainMapService(rpc: RpcServer): RpcServer {
  const map = new Map<string, string>();
  return rpc.addService(KvRaftService, {
    Get: ({ key }) => {
      const value = map.get(key);
      return value === undefined ? { err: "ErrNoKey", value: "" } : { err: "OK", value };
    },
    Put: ({ key, value }) => {
      map.set(key, value);
      return { err: "OK" };
    },
    Append: ({ key, value }) => {
      map.set(key, (map.get(key) ?? "") + value);
      return { err: "OK" };
    },
  });
}
