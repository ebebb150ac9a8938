/**
 * A follower process of the raft suite (bundled into one file and run with plain `node`): a
 * Raft peer (`RaftNode` over TCP, the leader being the benchmark's own process) or a follower
 * of the no-consensus baseline, on `MemoryStorage` or on a `DiskStorage` directory with fsync.
 *
 *   node peer-main.js '{"kind":"raft","id":1,"addresses":["127.0.0.1:p0",...]}'
 *   node peer-main.js '{"kind":"baseline","dir":"/tmp/..."}'        (port 0)
 *
 * Prints `{"event":"listening","address":"127.0.0.1:port"}` once serving, or
 * `{"event":"error",...}` and exits 2; exits when its stdin ends.
 */

import { writeFileSync } from "node:fs";
import { RpcServer, TcpTransport } from "@lab/labrpc";
import { MemoryStorage, type Storage } from "@lab/raft";
import { DiskStorage } from "@lab/raft/disk";
import { printEvent, runChild } from "../child-main.js";
import { addBaselineFollower } from "./baseline.js";
import { COMPACT_EVERY, startBenchPeer } from "./raft-peer.js";

export type PeerConfig =
  | {
      readonly kind: "raft";
      readonly id: number;
      readonly addresses: readonly string[];
      /** A DiskStorage directory (fsync on); without it, a MemoryStorage. */
      readonly dir?: string;
    }
  | { readonly kind: "baseline"; readonly dir?: string };

async function openStorage(dir: string | undefined): Promise<Storage> {
  if (dir === undefined) return new MemoryStorage();
  const storage = await DiskStorage.open(dir);
  // For profile-main: the storage's counters, written next to its directory every 200 ms.
  if (process.env.BENCH_STORAGE_STATS === "1") {
    setInterval(
      () => writeFileSync(`${dir}.stats.json`, JSON.stringify(storage.stats())),
      200,
    ).unref();
  }
  return storage;
}

async function serve(config: PeerConfig): Promise<{ address: string; close(): Promise<void> }> {
  const transport = new TcpTransport();
  const storage = await openStorage(config.dir);
  const rpc = new RpcServer();
  if (config.kind === "baseline") {
    addBaselineFollower(rpc, storage, COMPACT_EVERY);
    const server = await transport.serve(rpc);
    return { address: server.url, close: () => transport.close() };
  }
  const peers = config.addresses.map((address, j) =>
    j === config.id ? undefined : transport.end(address),
  );
  const { node } = startBenchPeer({
    id: config.id,
    peers,
    storage,
    rpcTimeoutMs: 1000,
    onFatal: (error) => {
      printEvent({ event: "fatal", message: String(error) });
      process.exit(1);
    },
  });
  node.register(rpc);
  const [host, port] = (config.addresses[config.id] as string).split(":");
  const server = await transport.serve(rpc, { host: host as string, port: Number(port) });
  return {
    address: server.url,
    close: async () => {
      node.kill();
      await transport.close();
    },
  };
}

await runChild(serve, () => {
  // For profiling (see the README): exit on our own, since a killed process writes no profile.
  const exitAfter = Number(process.env.BENCH_PEER_EXIT_AFTER_MS ?? 0);
  if (exitAfter > 0) setTimeout(() => process.exit(0), exitAfter).unref();
});
