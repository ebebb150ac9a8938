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

const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

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
      print({ event: "fatal", message: String(error) });
      process.exit(1);
    },
  });
  return server;
}

try {
  const server = await serve(JSON.parse(process.argv[2] ?? "{}") as ServerConfig);
  print({ event: "listening", address: server.address });
  process.stdin.resume();
  process.stdin.on("end", () => {
    void server.close().finally(() => process.exit(0));
  });
} catch (error) {
  const code = (error as { code?: unknown }).code;
  print({ event: "error", code: String(code ?? "unknown"), message: String(error) });
  process.exit(2);
}
