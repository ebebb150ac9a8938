// ReadIndex and leadership transfer over the real TCP transport: three RaftServers in this
// process on 127.0.0.1, in real time. The new wire fields (read context, transfer flag) and
// Raft.TimeoutNow cross real sockets. Waits are generous deadlines with polling (CI shares 2
// cores): this checks behaviour, not speed.
import { codecs } from "@lab/labgob";
import { afterAll, describe, expect, it } from "vitest";
import { MemoryStorage } from "../../src/index.js";
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

/** Opens three peers on free ports; on a port taken meanwhile, again on fresh ports. */
async function openCluster(applied: string[][]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const addresses = (await freePorts(3)).map((p) => `127.0.0.1:${p}`);
    try {
      for (let id = 0; id < 3; id++) {
        servers.push(
          await RaftServer.open<string>({
            id,
            addresses,
            storage: new MemoryStorage(),
            codec: codecs.string,
            apply: (msg) => {
              if (msg.commandValid) applied[id]?.push(msg.command);
            },
          }),
        );
      }
      return;
    } catch (error) {
      await Promise.all(servers.splice(0).map((s) => s.close()));
      if (attempt >= 3 || (error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    }
  }
}

const leaderOf = () => {
  const i = servers.findIndex((s) => s.getState().isLeader);
  return i >= 0 ? i : undefined;
};

describe("reads and leadership transfer over TCP", () => {
  it("a leader confirms a read, hands leadership over, and the new leader serves reads", async () => {
    const applied: string[][] = [[], [], []];
    await openCluster(applied);
    const first = await waitFor("a leader", leaderOf);
    const { index } = (servers[first] as RaftServer<string>).start("x");
    await waitFor("x applied everywhere", () => applied.every((a) => a.length === 1) || undefined);

    // A follower refuses; the leader confirms with a round over TCP (ctx in AppendEntries).
    const follower = (first + 1) % 3;
    expect(await servers[follower]?.readIndex()).toEqual({ ok: false, reason: "not-leader" });
    const read = await (servers[first] as RaftServer<string>).readIndex({ waitForApply: true });
    expect(read).toEqual({ ok: true, index });

    // TimeoutNow over TCP; the target's RequestVote carries the transfer flag.
    const to = (first + 2) % 3;
    const transfer = await (servers[first] as RaftServer<string>).transferLeadership(to);
    expect(transfer.ok).toBe(true);
    expect(servers[to]?.getState().isLeader).toBe(true);

    // The new leader: a write, then a read at or after it.
    const y = (servers[to] as RaftServer<string>).start("y");
    expect(y.isLeader).toBe(true);
    await waitFor("y applied on the new leader", () => applied[to]?.includes("y") || undefined);
    const after = await (servers[to] as RaftServer<string>).readIndex();
    expect(after.ok && after.index >= y.index).toBe(true);
  }, 90_000);
});
