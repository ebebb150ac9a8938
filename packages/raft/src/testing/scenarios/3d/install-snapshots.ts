import type { RaftCluster } from "../../raft-cluster.js";
import { checkCourseTimeLimit } from "../helpers/course-timing.js";
import { randomCommand } from "../helpers/random-command.js";
import type { RaftScenario } from "../types.js";
import { entriesForASnapshot, MAX_LOG_SIZE_BYTES, SNAPSHOT_INTERVAL } from "./snapshot-limits.js";

/** Rounds of the course's `snapcommon`. */
const ROUNDS = 30;

/** Which fault a snapshot scenario puts on its victim each round. */
interface SnapshotFaults {
  /** Cut the victim off for the round, then reconnect it. */
  readonly disconnect: boolean;
  /** Crash the victim for the round, then restart it from its persister. */
  readonly crash: boolean;
}

/**
 * The course's `snapcommon` on three peers, 30 rounds. Each round has a victim (a follower,
 * or the leader every third round, when the follower becomes the sender and its proposals are
 * refused) that may be cut off or crashed while the other two commit. The sender then proposes
 * 5-14 commands, enough for a snapshot, and one more is committed. Persisted Raft state must
 * then be below 2000 bytes, and the victim, back in the cluster, must catch up (by
 * InstallSnapshot when it fell behind a snapshot) so that all three commit once more.
 */
function snapshotRounds(faults: SnapshotFaults): (c: RaftCluster) => Promise<void> {
  return async (c) => {
    const servers = c.n;
    const random = c.random;
    await c.one(randomCommand(random), servers, true);
    let leader1 = await c.checkOneLeader();

    for (let round = 0; round < ROUNDS; round++) {
      let victim = (leader1 + 1) % servers;
      let sender = leader1;
      if (round % 3 === 1) {
        sender = (leader1 + 1) % servers;
        victim = leader1;
      }

      if (faults.disconnect) {
        c.disconnect(victim);
        await c.one(randomCommand(random), servers - 1, true);
      }
      if (faults.crash) {
        c.crash1(victim);
        await c.one(randomCommand(random), servers - 1, true);
      }

      // Perhaps enough to make every peer snapshot.
      const count = entriesForASnapshot((n) => random.int(n));
      const proposer = c.rafts[sender] ?? c.fail(`round ${round}: sender ${sender} is not running`);
      for (let k = 0; k < count; k++) proposer.start(randomCommand(random));

      // Without faults all three must keep up, so the basic case never needs InstallSnapshot.
      const needed = faults.disconnect || faults.crash ? servers - 1 : servers;
      await c.one(randomCommand(random), needed, true);

      const size = c.logSize();
      if (size >= MAX_LOG_SIZE_BYTES) {
        c.fail(
          `round ${round}: persisted Raft state is ${size} bytes, not below ${MAX_LOG_SIZE_BYTES} (snapshots every ${SNAPSHOT_INTERVAL} entries)`,
        );
      }

      if (faults.disconnect) {
        // The victim may be behind the others' snapshots and need one installed.
        c.connect(victim);
        await c.one(randomCommand(random), servers, true);
        leader1 = await c.checkOneLeader();
      }
      if (faults.crash) {
        c.start1(victim);
        c.connect(victim);
        await c.one(randomCommand(random), servers, true);
        leader1 = await c.checkOneLeader();
      }
    }
    checkCourseTimeLimit(c);
  };
}

export const snapshotsBasic: RaftScenario = {
  name: "3D/snapshots-basic",
  part: "3D",
  title: "snapshots basic",
  cluster: { n: 3, snapshot: true },
  run: snapshotRounds({ disconnect: false, crash: false }),
};

export const installDisconnect: RaftScenario = {
  name: "3D/install-disconnect",
  part: "3D",
  title: "install snapshots (disconnect)",
  cluster: { n: 3, snapshot: true },
  run: snapshotRounds({ disconnect: true, crash: false }),
};

export const installDisconnectUnreliable: RaftScenario = {
  name: "3D/install-disconnect-unreliable",
  part: "3D",
  title: "install snapshots (disconnect+unreliable)",
  cluster: { n: 3, snapshot: true, unreliable: true },
  run: snapshotRounds({ disconnect: true, crash: false }),
};

export const installCrash: RaftScenario = {
  name: "3D/install-crash",
  part: "3D",
  title: "install snapshots (crash)",
  cluster: { n: 3, snapshot: true },
  run: snapshotRounds({ disconnect: false, crash: true }),
};

export const installUnreliableCrash: RaftScenario = {
  name: "3D/install-unreliable-crash",
  part: "3D",
  title: "install snapshots (unreliable+crash)",
  cluster: { n: 3, snapshot: true, unreliable: true },
  run: snapshotRounds({ disconnect: false, crash: true }),
};
