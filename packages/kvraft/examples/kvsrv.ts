import { addKvsrvService, Clerk, KvServer } from "@lab/kvraft/kvsrv";
import { Network, Simulator } from "@lab/labrpc";

// One server and two clerks on the deterministic simulated network.
const sim = new Simulator({ seed: 1 });
const net = new Network(sim);
const server = new KvServer();
net.addServer("kvserver", addKvsrvService(server));

function clerk(name: string): Clerk {
  const end = net.makeEnd(name); // ends start disabled and unconnected
  net.connect(name, "kvserver");
  net.enable(name, true);
  return new Clerk(end, { clock: sim, random: sim.random.fork(name) });
}
const alice = clerk("alice");
const bob = clerk("bob");

// Lossy links: 10% of requests and 10% of replies are lost, and the clerks retry.
net.setReliable(false);
await sim.settle(alice.put("greeting", "hello"));
const old = await sim.settle(bob.append("greeting", ", world"));
console.log(`append returned the old value ${JSON.stringify(old)}`);
console.log(`greeting = ${JSON.stringify(await sim.settle(alice.get("greeting")))}`);

// Every append executes exactly once, however many times its request or reply was lost.
for (let i = 0; i < 20; i++) await sim.settle(alice.append("log", `${i};`));
console.log(`log = ${await sim.settle(bob.get("log"))}`);
console.log(`retries: alice ${alice.stats.retries}, bob ${bob.stats.retries}`);

// The server keeps a sequence number per clerk that wrote, and alice's last append's reply
// until her next request shows she has seen it.
console.log(server.stats());
