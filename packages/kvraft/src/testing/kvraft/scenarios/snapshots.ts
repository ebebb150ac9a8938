import type { KvraftHarness } from "../kvraft-harness.js";
import { ELECTION_TIMEOUT_MS, expectValue } from "./helpers.js";
import type { KvraftScenario } from "./types.js";

const MAX_RAFT_STATE = 1000;
/** The course's bound on the snapshot after 800 operations of one client. */
const MAX_SNAPSHOT_BYTES = 500;

function checkLogSize(h: KvraftHarness, when: string): void {
  const size = h.logSize();
  h.check(
    size <= 8 * MAX_RAFT_STATE,
    `${when}: persisted Raft state is ${size} bytes, more than 8 x maxraftstate (${8 * MAX_RAFT_STATE})`,
  );
}

/**
 * The course's TestSnapshotRPC4B: with server 2 cut off, 50 Puts go to {0, 1}, whose logs must
 * stay within 8 × maxraftstate (they snapshot); then server 1 is cut off instead, so server 2
 * can only catch up through InstallSnapshot, and the majority {0, 2} must serve every old key;
 * then everybody together.
 */
export const snapshotRpc: KvraftScenario = {
  name: "4B/SnapshotRPC",
  part: "4B",
  title: "InstallSnapshot RPC",
  cluster: { n: 3, unreliable: false, maxRaftState: MAX_RAFT_STATE },
  async run(h) {
    await h.run(async () => {
      const ck = h.makeClient();
      await ck.put("a", "A");
      await expectValue(h, ck, "a", "A");

      // A bunch of puts into the majority partition.
      h.partition([0, 1], [2]);
      const ck1 = h.makeClient({ to: [0, 1] });
      for (let i = 0; i < 50; i++) await ck1.put(String(i), String(i));
      await h.sim.sleep(ELECTION_TIMEOUT_MS);
      await ck1.put("b", "B");
      checkLogSize(h, "after 50 puts with one server cut off");

      // Now make the group that requires a snapshot to catch up.
      h.partition([0, 2], [1]);
      const ck2 = h.makeClient({ to: [0, 2] });
      await ck2.put("c", "C");
      await ck2.put("d", "D");
      await expectValue(h, ck2, "a", "A");
      await expectValue(h, ck2, "b", "B");
      await expectValue(h, ck2, "1", "1");
      await expectValue(h, ck2, "49", "49");

      // Now everybody.
      h.partition([0, 1, 2], []);
      await ck.put("e", "E");
      await expectValue(h, ck, "c", "C");
      await expectValue(h, ck, "e", "E");
      await expectValue(h, ck, "1", "1");
      checkLogSize(h, "at the end");
    });
    h.checkLinearizable();
  },
};

/**
 * The course's TestSnapshotSize4B: 800 operations of one client on one key (200 times put 0,
 * get, put 1, get). The Raft state must stay within 8 × maxraftstate and the snapshot within
 * 500 bytes: what a server keeps per client must not grow with the number of operations.
 */
export const snapshotSize: KvraftScenario = {
  name: "4B/SnapshotSize",
  part: "4B",
  title: "snapshot size is reasonable",
  cluster: { n: 3, unreliable: false, maxRaftState: MAX_RAFT_STATE },
  async run(h) {
    await h.run(async () => {
      const ck = h.makeClient();
      for (let i = 0; i < 200; i++) {
        await ck.put("x", "0");
        await expectValue(h, ck, "x", "0");
        await ck.put("x", "1");
        await expectValue(h, ck, "x", "1");
      }
      checkLogSize(h, "after 800 operations");
      const snapshot = h.snapshotSize();
      h.check(
        snapshot <= MAX_SNAPSHOT_BYTES,
        `snapshot is ${snapshot} bytes, more than ${MAX_SNAPSHOT_BYTES}`,
      );
    });
    h.checkLinearizable();
  },
};
