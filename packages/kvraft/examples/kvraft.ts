import { addKvRaftService, KvRaftClerk, KvRaftServer } from "@lab/kvraft";
import { Network, Simulator } from "@lab/labrpc";
import { Persister } from "@lab/raft";

// Three replicated key/value servers and a clerk on the deterministic simulated network.
const sim = new Simulator({ seed: 1 });
const net = new Network(sim);
const n = 3;
const servers: KvRaftServer[] = [];

for (let me = 0; me < n; me++) {
  // Each server's ends to every server's Raft (the course's `servers []*ClientEnd`).
  const peers = Array.from({ length: n }, (_, j) => {
    const name = `${me}->${j}`;
    const end = net.makeEnd(name);
    net.connect(name, `server-${j}`);
    net.enable(name, true);
    return end;
  });
  const server = new KvRaftServer({
    peers,
    me,
    persister: new Persister(),
    maxRaftState: 1000, // snapshot when the Raft state nears 1000 bytes
    clock: sim,
    random: sim.random.fork(`server-${me}`),
  });
  net.addServer(`server-${me}`, addKvRaftService(server)); // KVServer.* and Raft.*
  servers.push(server);
}

const ends = Array.from({ length: n }, (_, j) => {
  const end = net.makeEnd(`clerk->${j}`);
  net.connect(`clerk->${j}`, `server-${j}`);
  net.enable(`clerk->${j}`, true);
  return end;
});
const clerk = new KvRaftClerk(ends, { clock: sim, random: sim.random.fork("clerk") });

await sim.settle(
  (async () => {
    await clerk.put("greeting", "hello");
    await clerk.append("greeting", ", world");
    console.log(await clerk.get("greeting"));
    // Cut the leader off: the clerk finds the new leader of the other two.
    const leader = clerk.leader;
    for (let j = 0; j < n; j++) {
      net.enable(`${leader}->${j}`, false);
      net.enable(`${j}->${leader}`, false);
    }
    net.enable(`clerk->${leader}`, false);
    for (let i = 0; i < 50; i++) await clerk.append("log", ".");
    console.log(`after the leader was cut off: ${(await clerk.get("log")).length} appends`);
    console.log(`new leader is another server: ${clerk.leader !== leader}`);
  })(),
);
// The cut-off server stopped applying where it was cut off; the other two went on.
console.log(`applied up to: ${servers.map((s) => s.stats().applied).join(", ")}`);
console.log(`${net.totalCount} RPCs in ${sim.now()} ms of virtual time`);
for (const server of servers) server.kill();
