import { electionTimeoutMs } from "../3a/election-timeout.js";
import type { RaftScenario } from "../types.js";
import { randomCommand } from "./random-commands.js";

/** Entries per batch: each minority's uncommitted run and each majority's committed run. */
const batch = 50;

/**
 * Followers whose logs hold long runs of wrong entries must be repaired fast enough that every
 * `one()` meets its 10 s deadline, which needs a leader that backs nextIndex up by more than
 * one entry per round trip.
 */
export const backup: RaftScenario = {
  name: "3B/backup",
  part: "3B",
  title: "leader backs up quickly over incorrect follower logs",
  cluster: { n: 5 },
  async run(cluster) {
    const n = cluster.n;
    const random = cluster.random;
    await cluster.one(randomCommand(random), n, true);

    // The leader and one follower are left alone and take 50 entries that cannot commit.
    const leader1 = await cluster.checkOneLeader();
    cluster.disconnect((leader1 + 2) % n);
    cluster.disconnect((leader1 + 3) % n);
    cluster.disconnect((leader1 + 4) % n);
    const raft1 = cluster.rafts[leader1];
    for (let i = 0; i < batch; i++) raft1?.start(randomCommand(random));
    await cluster.sim.sleep(electionTimeoutMs / 2);

    // Swap sides: the other three commit 50 entries of their own.
    cluster.disconnect((leader1 + 0) % n);
    cluster.disconnect((leader1 + 1) % n);
    cluster.connect((leader1 + 2) % n);
    cluster.connect((leader1 + 3) % n);
    cluster.connect((leader1 + 4) % n);
    for (let i = 0; i < batch; i++) await cluster.one(randomCommand(random), 3, true);

    // Their leader loses one more follower and takes 50 entries that cannot commit.
    const leader2 = await cluster.checkOneLeader();
    let other = (leader1 + 2) % n;
    if (leader2 === other) other = (leader2 + 1) % n;
    cluster.disconnect(other);
    const raft2 = cluster.rafts[leader2];
    for (let i = 0; i < batch; i++) raft2?.start(randomCommand(random));
    await cluster.sim.sleep(electionTimeoutMs / 2);

    // The first minority and the one follower cut off last form a majority; the two old
    // minority peers hold 50 wrong entries the leader must skip over quickly.
    for (let i = 0; i < n; i++) cluster.disconnect(i);
    cluster.connect((leader1 + 0) % n);
    cluster.connect((leader1 + 1) % n);
    cluster.connect(other);
    for (let i = 0; i < batch; i++) await cluster.one(randomCommand(random), 3, true);

    // Everyone back together.
    for (let i = 0; i < n; i++) cluster.connect(i);
    await cluster.one(randomCommand(random), n, true);
  },
};
