// One server of a kvraft cluster per process:
//   node kvraft-server.ts <id> <host:port>,<host:port>,<host:port> <directory>
import { startKvRaftServer } from "@lab/kvraft/server";

const [id = "0", list = "", dir = `kvraft-${id}`] = process.argv.slice(2);
const server = await startKvRaftServer({
  id: Number(id),
  addresses: list.split(","), // the same list, in the same order, on every server
  dir, // its DiskStorage: a restarted server recovers its snapshot and log from here
  maxRaftState: 1 << 20, // snapshot when the Raft log nears 1 MiB
});
console.log(`server ${id} on ${server.address}, ${server.recovered.lastIndex} entries on disk`);

// Stop cleanly on Ctrl-C or `kill`: close the sockets, finish writes, unlock the directory.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void server.close().then(() => process.exit(0)));
}
