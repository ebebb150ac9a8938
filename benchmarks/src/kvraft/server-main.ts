/**
 * A server process of the kvraft suite (bundled into one file and run with plain `node`): one
 * kvraft server (`startKvRaftServer`, on a `MemoryStorage` or a `DiskStorage` directory) or the
 * plain-map baseline, over TCP on 127.0.0.1.
 *
 *   node server-main.js '{"kind":"kvraft","id":0,"addresses":[...],"dir":"/tmp/..."}'
 *   node server-main.js '{"kind":"kvraft","id":0,"addresses":[...]}'      (MemoryStorage)
 *   node server-main.js '{"kind":"map"}'                                  (port 0)
 *
 * Prints `{"event":"listening","address":"127.0.0.1:port"}` once serving, or
 * `{"event":"error","code":..,"message":..}` and exits 2. Exits when its stdin ends, so it never
 * outlives the benchmark that started it, however that one ended.
 */

import { startKvRaftServer } from "@lab/kvraft/server";
import { RpcServer, TcpServer } from "@lab/labrpc";
import { MemoryStorage } from "@lab/raft";
import { printEvent, runChild } from "../child-main.js";
import { addPlainMapService } from "./plain-map.js";

export type ServerConfig =
  | {
      readonly kind: "kvraft";
      readonly id: number;
      readonly addresses: readonly string[];
      /** A DiskStorage directory (fsync on); without it, a MemoryStorage. */
      readonly dir?: string;
    }
  | { readonly kind: "map" };

async function serve(config: ServerConfig): Promise<{ address: string; close(): Promise<void> }> {
  if (config.kind === "map") {
    const server = new TcpServer(addPlainMapService(new RpcServer()));
    await server.listen();
    return { address: server.url, close: () => server.close({ graceMs: 0 }) };
  }
  const server = await startKvRaftServer({
    id: config.id,
    addresses: config.addresses,
    ...(config.dir === undefined ? { storage: new MemoryStorage() } : { dir: config.dir }),
    onFatal: (error) => {
      printEvent({ event: "fatal", message: String(error) });
      process.exit(1);
    },
  });
  return server;
}

await runChild(serve);
