// One peer of a cluster per process:
//   node raft-server.ts <id> <host:port>,<host:port>,<host:port> <directory>
import { createInterface } from "node:readline";
import { codecs } from "@lab/labgob";
import { RaftServer } from "@lab/raft/server";

const [id = "0", list = "", dir = `raft-${id}`] = process.argv.slice(2);
const server = await RaftServer.open<string>({
  id: Number(id),
  addresses: list.split(","), // the same list, in the same order, on every peer
  dir, // its DiskStorage: a restarted peer recovers its log from here
  codec: codecs.string,
  apply: (msg) => {
    if (msg.commandValid) console.log(`applied ${msg.commandIndex}: ${msg.command}`);
  },
});
console.log(
  `peer ${id} serving on ${server.address}, ${server.recovered.lastIndex} entries on disk`,
);

// Each line on stdin is proposed, if this peer leads; the leader replicates it to the others.
for await (const line of createInterface({ input: process.stdin })) {
  const { index, term, isLeader } = server.start(line);
  console.log(isLeader ? `proposed at index ${index} in term ${term}` : "not the leader");
}
await server.close();
