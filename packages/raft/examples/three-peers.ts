import { codecs } from "@lab/labgob";
import { Network, RpcServer, Simulator } from "@lab/labrpc";
import { ApplyChannel, makeRaft, Persister, type Raft } from "@lab/raft";

// Three peers on the simulated network, in virtual time: replays exactly from the seed.
const sim = new Simulator({ seed: 1 });
const net = new Network(sim);
const n = 3;
const applied: string[][] = [[], [], []];
const rafts: Raft<string>[] = [];

for (let me = 0; me < n; me++) {
  // peers[j] is this peer's client end to peer j (the course's `peers []*ClientEnd`).
  const peers = Array.from({ length: n }, (_, j) => {
    const end = net.makeEnd(`${me}->${j}`);
    net.connect(`${me}->${j}`, `server-${j}`);
    net.enable(`${me}->${j}`, true);
    return end;
  });
  const applyCh = new ApplyChannel<string>();
  const raft = makeRaft<string>({
    peers,
    me,
    persister: new Persister(),
    apply: applyCh.send,
    clock: sim,
    random: sim.random.fork(`peer-${me}`),
    codec: codecs.string,
  });
  const server = new RpcServer();
  raft.register(server); // serves Raft.RequestVote, Raft.AppendEntries, Raft.InstallSnapshot
  net.addServer(`server-${me}`, server);
  rafts.push(raft);
  // The service: consume committed commands in log order.
  void (async () => {
    for await (const msg of applyCh) {
      if (msg.commandValid) applied[me]?.push(`${msg.commandIndex}:${msg.command}`);
    }
  })();
}

await sim.settle(
  (async () => {
    let leader: Raft<string> | undefined;
    while (leader === undefined) {
      await sim.sleep(100);
      leader = rafts.find((r) => r.getState().isLeader);
    }
    console.log("leader elected, term", leader.getState().term);
    for (const command of ["x=1", "y=2", "x=3"]) {
      const { index, isLeader } = leader.start(command); // returns at once; commit comes later
      console.log(`start(${command}) -> index ${index}, leader ${isLeader}`);
    }
    while (!applied.every((log) => log.length === 3)) await sim.sleep(10);
  })(),
);
for (const [i, log] of applied.entries()) console.log(`peer ${i} applied`, log.join(" "));
console.log(`${net.totalCount} RPCs, ${net.totalBytes} bytes, ${sim.now()} ms of virtual time`);
for (const raft of rafts) raft.kill();
