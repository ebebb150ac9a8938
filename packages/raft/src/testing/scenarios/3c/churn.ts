import type { Value } from "@lab/labgob";
import type { RaftCluster } from "../../raft-cluster.js";
import { ChurnClients } from "../helpers/churn-clients.js";
import { checkCourseTimeLimit, RAFT_ELECTION_TIMEOUT_MS } from "../helpers/course-timing.js";
import { randomCommand } from "../helpers/random-command.js";
import type { RaftScenario } from "../types.js";

/** Churn rounds of the course. */
const CHURN_ROUNDS = 20;
/** Concurrent clients of the course. */
const CHURN_CLIENTS = 3;

/**
 * The course's churn test body: three clients propose all the time while, every 0.7 s for 20
 * rounds, a random peer may be cut off (20%), a random peer restarted if dead and reconnected
 * (50%), and a random running peer crashed (20%). After healing, every command a client saw
 * committed must still be in the log all five peers apply.
 */
async function churn(c: RaftCluster): Promise<void> {
  const servers = c.n;
  const random = c.random;
  const clients = new ChurnClients(c, CHURN_CLIENTS);

  for (let round = 0; round < CHURN_ROUNDS; round++) {
    if (random.int(1000) < 200) c.disconnect(random.int(servers));
    if (random.int(1000) < 500) {
      const i = random.int(servers);
      if (c.rafts[i] === undefined) c.start1(i);
      c.connect(i);
    }
    if (random.int(1000) < 200) {
      const i = random.int(servers);
      if (c.rafts[i] !== undefined) c.crash1(i);
    }
    // Shorter than an election timeout, though not by much: peers often, but not always,
    // settle between two changes.
    await c.sim.sleep((RAFT_ELECTION_TIMEOUT_MS * 7) / 10);
    clients.throwIfFailed();
  }

  await c.sim.sleep(RAFT_ELECTION_TIMEOUT_MS);
  c.setUnreliable(false);
  for (let i = 0; i < servers; i++) {
    if (c.rafts[i] === undefined) c.start1(i);
    c.connect(i);
  }
  const seen = await clients.finish();

  await c.sim.sleep(RAFT_ELECTION_TIMEOUT_MS);
  const lastIndex = await c.one(randomCommand(random), servers, true);
  const finalLog = new Set<Value>();
  for (let index = 1; index <= lastIndex; index++) {
    const command = await c.wait(index, servers, -1);
    if (typeof command !== "number") c.fail(`index ${index} holds a non-number command`);
    finalLog.add(command);
  }
  for (const command of seen) {
    if (!finalLog.has(command)) {
      c.fail(`a client saw ${String(command)} committed, but the final log does not hold it`);
    }
  }
  checkCourseTimeLimit(c);
}

export const reliableChurn: RaftScenario = {
  name: "3C/churn",
  part: "3C",
  title: "churn",
  cluster: { n: 5 },
  run: churn,
};

export const unreliableChurn: RaftScenario = {
  name: "3C/unreliable-churn",
  part: "3C",
  title: "unreliable churn",
  cluster: { n: 5, unreliable: true },
  run: churn,
};
