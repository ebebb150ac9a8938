// Membership change over the real TCP transport, in real time: three RaftServers, then a
// fourth that joins with an empty configuration and is reached through `resolveAddress`
// (the first three know only each other's addresses). Config entries and the new wire fields
// cross real sockets. Generous deadlines with polling (CI shares 2 cores).
import { codecs } from "@lab/labgob";
import { afterAll, describe, expect, it } from "vitest";
import {
  allVoters,
  configuration,
  EMPTY_CONFIGURATION,
  formatConfiguration,
  MemoryStorage,
} from "../../src/index.js";
import { RaftServer } from "../../src/server/index.js";
import { freePorts } from "../fixtures/peer-process.js";

const servers: RaftServer<string>[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function waitFor<T>(what: string, probe: () => T | undefined, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("membership change over TCP", () => {
  it("a fourth server joins as a learner, is promoted, and the old leader is removed", async () => {
    const applied: string[][] = [[], [], [], []];
    const addresses = (await freePorts(4)).map((p) => `127.0.0.1:${p}`);
    const open = (id: number, three: boolean) =>
      RaftServer.open<string>({
        id,
        // The first three are started with the three addresses only; the fourth with all.
        addresses: three ? addresses.slice(0, 3) : addresses,
        ...(three ? { resolveAddress: (peer: number) => addresses[peer] } : {}),
        initialConfiguration: three ? allVoters(3) : EMPTY_CONFIGURATION,
        storage: new MemoryStorage(),
        codec: codecs.string,
        apply: (msg) => {
          if (msg.commandValid) applied[id]?.push(msg.command);
          else if (msg.configValid) applied[id]?.push(formatConfiguration(msg.config));
        },
      });
    for (let id = 0; id < 3; id++) servers.push(await open(id, true));
    servers.push(await open(3, false));
    const leaderOf = () => {
      const i = servers.findIndex((s) => s.getState().isLeader);
      return i >= 0 ? i : undefined;
    };
    const first = await waitFor("a leader", leaderOf);
    const raft = (servers[first] as RaftServer<string>).raft;
    raft.start("x");
    const added = await raft.addVoter(3);
    expect(added.config).toEqual(configuration([0, 1, 2, 3]));
    await waitFor("peer 3 has the log", () =>
      applied[3]?.includes("voters 0,1,2,3") ? true : undefined,
    );
    expect(applied[3]).toContain("x");
    // The leader removes itself; another takes over and commits.
    await raft.changeMembership({ type: "remove", id: first });
    const next = await waitFor("a new leader", () => {
      const i = leaderOf();
      return i !== undefined && i !== first ? i : undefined;
    });
    (servers[next] as RaftServer<string>).start("y");
    const rest = [0, 1, 2, 3].filter((id) => id !== first);
    await waitFor(
      "y applied on the remaining peers",
      () => rest.every((id) => applied[id]?.includes("y")) || undefined,
    );
    for (const id of rest) {
      expect(servers[id]?.raft.configuration()).toEqual(configuration(rest));
    }
  }, 60_000);
});
