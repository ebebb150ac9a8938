import type { RaftCluster } from "../../raft-cluster.js";
import { electionTimeoutMs } from "../3a/election-timeout.js";
import type { RaftScenario } from "../types.js";
import { randomCommand } from "./random-commands.js";

/** RPCs allowed for the first election (at least one must have happened). */
const maxElectionRpcs = 30;
/** Commands started after the first, of which the first `committedChecked` are waited for. */
const extraCommands = 11;
const committedChecked = 10;
/** (10 + 1 + 3) × 3: each entry to each follower once, plus a few heartbeats. */
const maxAgreementRpcs = (committedChecked + 1 + 3) * 3;
/** At most 20 RPCs per peer in one idle second (heartbeats are ≤ 10/s per follower). */
const maxIdleRpcs = 3 * 20;
const tries = 5;
const pauseBetweenTriesMs = 3000;

/** RPCs dispatched to all peers so far (the sum of the per-peer counts, as the course does). */
function rpcs(cluster: RaftCluster): number {
  let total = 0;
  for (let j = 0; j < cluster.n; j++) total += cluster.rpcCount(j);
  return total;
}

/**
 * Raft must not flood the network: an election costs at most 30 RPCs, agreeing on a dozen
 * commands at most 42 (batched appends), and an idle second at most 60 (heartbeats only).
 */
export const rpcCounts: RaftScenario = {
  name: "3B/rpc-counts",
  part: "3B",
  title: "RPC counts aren't too high",
  cluster: { n: 3 },
  async run(cluster) {
    const n = cluster.n;
    await cluster.checkOneLeader();
    const electionRpcs = rpcs(cluster);
    cluster.sim.trace("scenario.measure", { what: "election rpcs", value: electionRpcs });
    if (electionRpcs > maxElectionRpcs || electionRpcs < 1) {
      cluster.fail(`too many or few RPCs (${electionRpcs}) to elect initial leader`);
    }

    let total2 = -1;
    tryLoop: for (let attempt = 0; attempt < tries; attempt++) {
      if (attempt > 0) await cluster.sim.sleep(pauseBetweenTriesMs);

      const leader = await cluster.checkOneLeader();
      const raft = cluster.rafts[leader];
      if (raft === undefined) return cluster.fail(`leader ${leader} is not running`);
      const total1 = rpcs(cluster);

      const first = raft.start(1);
      if (!first.isLeader) continue;
      const { index: starti, term } = first;
      const commands: number[] = [];
      for (let i = 1; i < extraCommands + 1; i++) {
        const x = randomCommand(cluster.random);
        commands.push(x);
        const r = raft.start(x);
        if (r.term !== term || !r.isLeader) continue tryLoop;
        if (r.index !== starti + i) {
          cluster.fail(`Start() failed: index ${r.index}, expected ${starti + i}`);
        }
      }

      for (let i = 1; i <= committedChecked; i++) {
        const command = await cluster.wait(starti + i, n, term);
        // Some peer moved to a later term: the count of this try means nothing; try again.
        if (command === undefined) continue tryLoop;
        if (command !== commands[i - 1]) {
          cluster.fail(
            `wrong value ${String(command)} committed for index ${starti + i}; expected ${commands[i - 1]}`,
          );
        }
      }

      let termChanged = false;
      for (let j = 0; j < n; j++) {
        if (cluster.rafts[j]?.getState().term !== term) termChanged = true;
      }
      const now = rpcs(cluster);
      if (termChanged) continue;
      cluster.sim.trace("scenario.measure", { what: "agreement rpcs", value: now - total1 });
      if (now - total1 > maxAgreementRpcs) {
        cluster.fail(`too many RPCs (${now - total1}) for ${committedChecked} entries`);
      }
      total2 = now;
      break;
    }
    if (total2 < 0) cluster.fail("term changed too often");

    await cluster.sim.sleep(electionTimeoutMs);
    const idle = rpcs(cluster) - total2;
    cluster.sim.trace("scenario.measure", { what: "idle rpcs", value: idle });
    if (idle > maxIdleRpcs) cluster.fail(`too many RPCs (${idle}) for 1 second of idleness`);
  },
};
