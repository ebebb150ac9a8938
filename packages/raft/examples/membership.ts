import { codecs } from "@lab/labgob";
import { type ClientEnd, Network, RpcServer, Simulator } from "@lab/labrpc";
import {
  allVoters,
  type Configuration,
  EMPTY_CONFIGURATION,
  formatConfiguration,
  MembershipChangeError,
  makeRaft,
  Persister,
  type Raft,
} from "@lab/raft";

// Three peers grow to four, then the leader removes itself.
const sim = new Simulator({ seed: 1 });
const net = new Network(sim);
const rafts: Raft<string>[] = [];
const endTo = (me: number, j: number): ClientEnd => {
  const end = net.makeEnd(`${me}->${j}`);
  net.connect(`${me}->${j}`, `server-${j}`);
  net.enable(`${me}->${j}`, true);
  return end;
};
function startPeer(me: number, initialConfiguration: Configuration): void {
  const raft = makeRaft<string>({
    peers: [],
    // Ends are made when Raft first needs one (peers join later).
    resolvePeer: (j) => endTo(me, j),
    initialConfiguration,
    me,
    persister: new Persister(),
    clock: sim,
    random: sim.random.fork(`peer-${me}`),
    codec: codecs.string,
    // A membership change takes a log index too: the service sees it as a config message.
    apply: (msg) => {
      if (me === 3 && msg.configValid) {
        console.log(`peer 3 applied ${msg.configIndex}: ${formatConfiguration(msg.config)}`);
      }
    },
  });
  const server = new RpcServer();
  raft.register(server);
  net.addServer(`server-${me}`, server);
  rafts[me] = raft;
}
for (let me = 0; me < 3; me++) startPeer(me, allVoters(3));
// Peer 3 joins: it knows no cluster, so it waits to be added (and never campaigns).
startPeer(3, EMPTY_CONFIGURATION);

const leaderOf = async (): Promise<number> => {
  for (;;) {
    const i = rafts.findIndex((r) => r.getState().isLeader);
    if (i >= 0) return i;
    await sim.sleep(10);
  }
};

await sim.settle(
  (async () => {
    const leader = await leaderOf();
    rafts[leader]?.start("x");
    // Learner first, promoted once it has caught up; resolves when the promotion commits.
    const added = await rafts[leader]?.addVoter(3);
    console.log(
      `added 3 at index ${added?.index}: ${formatConfiguration(added?.config ?? EMPTY_CONFIGURATION)}`,
    );
    try {
      await rafts[(leader + 1) % 4]?.changeMembership({ type: "remove", id: leader });
    } catch (error) {
      if (error instanceof MembershipChangeError) console.log(`at a follower: ${error.reason}`);
    }
    // The leader removes itself: it steps down once that commits, and hands over.
    const removed = await rafts[leader]?.changeMembership({ type: "remove", id: leader });
    console.log(`removed ${leader} at index ${removed?.index}`);
    const next = await leaderOf();
    console.log(`peer ${next} leads term ${rafts[next]?.getState().term}`);
  })(),
);
for (const raft of rafts) raft.kill();
