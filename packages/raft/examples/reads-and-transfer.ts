import { codecs } from "@lab/labgob";
import { Network, RpcServer, Simulator } from "@lab/labrpc";
import { makeRaft, Persister, type Raft } from "@lab/raft";

// A key/value map replicated by three peers; reads go through ReadIndex, not the log.
const sim = new Simulator({ seed: 1 });
const net = new Network(sim);
const n = 3;
const state = Array.from({ length: n }, () => new Map<string, string>());
const rafts: Raft<string>[] = [];
for (let me = 0; me < n; me++) {
  const peers = Array.from({ length: n }, (_, j) => {
    const end = net.makeEnd(`${me}->${j}`);
    net.connect(`${me}->${j}`, `server-${j}`);
    net.enable(`${me}->${j}`, true);
    return end;
  });
  const raft = makeRaft<string>({
    peers,
    me,
    persister: new Persister(),
    clock: sim,
    random: sim.random.fork(`peer-${me}`),
    codec: codecs.string,
    // Commands are "key=value".
    apply: (msg) => {
      if (!msg.commandValid) return;
      const [key = "", value = ""] = msg.command.split("=");
      state[me]?.set(key, value);
    },
  });
  const server = new RpcServer();
  raft.register(server);
  net.addServer(`server-${me}`, server);
  rafts.push(raft);
}

/** A linearizable read of `key` at peer `i`, without a log entry. */
async function get(i: number, key: string): Promise<string> {
  const read = await rafts[i]?.readIndex({ waitForApply: true });
  if (read === undefined || !read.ok) return `refused (${read?.ok === false ? read.reason : "?"})`;
  // The service has applied the log through read.index: its state answers the read.
  return `${state[i]?.get(key) ?? "(none)"} at index ${read.index}`;
}

await sim.settle(
  (async () => {
    let leader = -1;
    while (leader < 0) {
      await sim.sleep(100);
      leader = rafts.findIndex((r) => r.getState().isLeader);
    }
    // A write, acknowledged once applied; a read that starts after it must see it.
    rafts[leader]?.start("x=1");
    while (state[leader]?.get("x") !== "1") await sim.sleep(10);
    console.log(`peer ${leader} leads; get x:`, await get(leader, "x"));
    const follower = (leader + 1) % n;
    console.log(`get x at follower ${follower}:`, await get(follower, "x"));

    // Hand leadership to the follower: it campaigns at once and wins.
    // Hand leadership to the follower: it campaigns at once and wins. Meanwhile the old
    // leader takes no proposals.
    const moving = rafts[leader]?.transferLeadership(follower);
    console.log("start during the transfer:", JSON.stringify(rafts[leader]?.start("x=2")));
    console.log(`transfer to ${follower}:`, JSON.stringify(await moving));
    rafts[follower]?.start("x=2");
    while (state[follower]?.get("x") !== "2") await sim.sleep(10);
    console.log(`peer ${follower} leads; get x:`, await get(follower, "x"));
  })(),
);
console.log(`${sim.now()} ms of virtual time`);
for (const raft of rafts) raft.kill();
