import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalTransport, RpcServer } from "@lab/labrpc";
import { MemoryStorage } from "@lab/raft";
import { describe, expect, it } from "vitest";
import { bundleServer, ProcessGroup } from "../src/kvraft/server-processes.js";
import { addBaselineFollower, BaselineLeader } from "../src/raft/baseline.js";
import { LIMITS } from "../src/raft/raft-peer.js";
import { inProcess, tcpMemory } from "../src/raft/setups.js";
import {
  closedLoop,
  commandPool,
  openLoop,
  percentile,
  type ReplicationTarget,
} from "../src/raft/workload.js";
import { best, type Measured } from "../src/suites/raft.js";

/** A target that commits each proposal on the next macrotask, recording the window it saw. */
function echoTarget() {
  let listener: (index: number) => void = () => {};
  let last = 0;
  let uncommitted = 0;
  let maxUncommitted = 0;
  const target: ReplicationTarget = {
    propose: () => {
      const index = ++last;
      uncommitted++;
      maxUncommitted = Math.max(maxUncommitted, uncommitted);
      setImmediate(() => {
        uncommitted--;
        listener(index);
      });
      return index;
    },
    onCommit: (next) => {
      listener = next;
    },
  };
  return { target, proposed: () => last, maxUncommitted: () => maxUncommitted };
}

function baselineCluster(followers: number, compactEvery = 1_000_000) {
  const transport = new LocalTransport();
  const servers = [];
  const storages: MemoryStorage[] = [];
  for (let f = 0; f < followers; f++) {
    const storage = new MemoryStorage();
    storages.push(storage);
    servers.push(
      transport.serve(`f${f}`, addBaselineFollower(new RpcServer(), storage, compactEvery)),
    );
  }
  const leaderStorage = new MemoryStorage();
  const leader = new BaselineLeader({
    followers: Array.from({ length: followers }, (_, f) => transport.end(`f${f}`)),
    storage: leaderStorage,
    limits: { ...LIMITS, maxEntriesPerMessage: 16 },
    compactEvery,
  });
  return { transport, servers, storages, leaderStorage, leader };
}

async function waitFor(done: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!done()) {
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe("raft suite: workload", () => {
  it("closedLoop keeps the window full and counts the commits of the measured span only", async () => {
    const echo = echoTarget();
    const result = await closedLoop(echo.target, commandPool(128, 4), {
      window: 50,
      warmupMs: 50,
      measureMs: 150,
    });
    expect(echo.maxUncommitted()).toBe(50);
    expect(result.entries).toBeGreaterThan(0);
    // Warm-up commits are not counted.
    expect(result.entries).toBeLessThan(echo.proposed());
    expect(result.megabytesPerSecond).toBeCloseTo((result.entriesPerSecond * 128) / 1e6, 9);
  });

  it("openLoop offers the asked rate and times each proposal to its commit", async () => {
    const echo = echoTarget();
    const result = await openLoop(echo.target, commandPool(16, 4), {
      ratePerSecond: 2000,
      warmupMs: 50,
      measureMs: 300,
    });
    // 2000/s for 0.35 s in all, caught up on 1 ms timers and completed at the end.
    // Proposals count by when they were due, so timers that fired late (a busy machine) do not
    // move warm-up proposals into the 0.3 s window: exactly the 600 due in it, all committed.
    expect(echo.proposed()).toBe(700);
    expect(result.offeredPerSecond).toBe(2000);
    expect(result.samples).toBe(600);
    expect(result.p50Ms).toBeGreaterThan(0);
    expect(result.p99Ms).toBeGreaterThanOrEqual(result.p50Ms);
  });

  it("openLoop counts proposals by when they were due, not when a late timer sent them", async () => {
    const echo = echoTarget();
    const running = openLoop(echo.target, commandPool(16, 4), {
      ratePerSecond: 2000,
      warmupMs: 50,
      measureMs: 300,
    });
    // Block the event loop past the warm-up, as a busy machine does: the first timer fires after
    // it, and sends the 100+ proposals due in the warm-up in one burst.
    const blockedUntil = performance.now() + 80;
    while (performance.now() < blockedUntil) {
      // busy wait
    }
    const result = await running;
    expect(result.offeredPerSecond).toBe(2000);
    expect(result.samples).toBe(600);
    expect(result.maxLagMs).toBeGreaterThan(25);
  });

  it("openLoop at a rate with fractional due times counts the proposals due in the window", async () => {
    const echo = echoTarget();
    const result = await openLoop(echo.target, commandPool(16, 4), {
      ratePerSecond: 333,
      warmupMs: 50,
      measureMs: 300,
    });
    // Due at k × 3.003 ms: k = 0..116 before 0.35 s (116.55), of which k = 17..116 at or after
    // the 50 ms warm-up (16.65): 100 in the window, 333.3/s.
    expect(echo.proposed()).toBe(117);
    expect(result.samples).toBe(100);
    expect(result.offeredPerSecond).toBeCloseTo(1000 / 3, 9);
  });

  it("a refused proposal fails the measurement", async () => {
    const target: ReplicationTarget = { propose: () => -1, onCommit: () => {} };
    await expect(
      closedLoop(target, commandPool(8, 1), { window: 4, warmupMs: 1, measureMs: 1 }),
    ).rejects.toThrow(/leadership changed/);
  });

  it("percentile is the nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it("best keeps the higher throughput and the lower latencies of two rounds", () => {
    const a: Measured = {
      throughput: { entries: 10, entriesPerSecond: 100, megabytesPerSecond: 1 },
      latency: { samples: 5, p50Ms: 2, p99Ms: 9, offeredPerSecond: 50, maxLagMs: 0.5 },
    };
    const b: Measured = {
      throughput: { entries: 20, entriesPerSecond: 200, megabytesPerSecond: 2 },
      latency: { samples: 6, p50Ms: 3, p99Ms: 8, offeredPerSecond: 49, maxLagMs: 2 },
    };
    const m = best(a, b);
    expect(m.throughput).toBe(b.throughput);
    expect(m.latency.p50Ms).toBe(2);
    expect(m.latency.p99Ms).toBe(8);
    expect(m.latency.maxLagMs).toBe(2);
    expect(best(undefined, a)).toBe(a);
  });
});

describe("raft suite: no-consensus baseline", () => {
  it("commits in order once a majority stored the entries, and the followers hold them", async () => {
    const { leader, storages, transport } = baselineCluster(2);
    const committed: number[] = [];
    leader.onCommit((index) => committed.push(index));
    const commands = commandPool(32, 8);
    for (let i = 0; i < 100; i++) expect(leader.propose(commands[i % 8] as Uint8Array)).toBe(i + 1);
    await waitFor(() => committed.length === 100);
    expect(committed).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    await waitFor(() => storages.every((s) => s.initialState().entries.length === 100));
    for (const storage of storages) {
      const entries = storage.initialState().entries;
      expect(entries.map((e) => e.index)).toEqual(committed);
      expect(entries[9]?.command).toEqual(commands[9 % 8]);
    }
    transport.close();
  });

  it("commits with one of two followers down, never with both down", async () => {
    const one = baselineCluster(2);
    one.servers[1]?.close();
    const committed: number[] = [];
    one.leader.onCommit((index) => committed.push(index));
    for (let i = 0; i < 40; i++) one.leader.propose(new Uint8Array([i]));
    await waitFor(() => committed.length === 40);
    one.transport.close();

    const none = baselineCluster(2);
    for (const server of none.servers) server.close();
    let any = false;
    none.leader.onCommit(() => {
      any = true;
    });
    for (let i = 0; i < 40; i++) none.leader.propose(new Uint8Array([i]));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(any).toBe(false);
    expect(none.leaderStorage.initialState().entries).toHaveLength(40);
    none.transport.close();
  });

  it("compacts the leader's and the followers' stored logs as it goes", async () => {
    const { leader, storages, leaderStorage, transport } = baselineCluster(2, 50);
    let committed = 0;
    leader.onCommit(() => committed++);
    // In rounds: a message carries the commit index of when it was sent (no heartbeats).
    for (let round = 1; round <= 4; round++) {
      for (let i = 0; i < 50; i++) leader.propose(new Uint8Array([i]));
      await waitFor(() => committed === round * 50);
    }
    expect(leaderStorage.initialState().snapshot?.meta.index).toBeGreaterThanOrEqual(150);
    await waitFor(() => storages.every((s) => (s.initialState().snapshot?.meta.index ?? 0) >= 100));
    transport.close();
  });
});

describe("raft suite: setups", () => {
  it("in-process: a 3-node Raft cluster commits a closed loop at its leader", {
    timeout: 30_000,
  }, async () => {
    const running = await inProcess.startRaft({
      nodes: 3,
      group: new ProcessGroup(),
      peerFile: "",
      scratch: "",
      onFatal: (error) => {
        throw error;
      },
    });
    const result = await closedLoop(running.target, commandPool(128, 4), {
      window: 1024,
      warmupMs: 50,
      measureMs: 200,
    });
    expect(result.entries).toBeGreaterThan(0);
    await running.close();
  });

  it("TCP: a leader here and two follower processes commit; dispose kills the processes", {
    timeout: 60_000,
  }, async () => {
    const group = new ProcessGroup();
    try {
      const scratch = group.track(await mkdtemp(join(tmpdir(), "bench-raft-test-")));
      const peerFile = await bundleServer(
        join(scratch, "bundle"),
        new URL("../src/raft/peer-main.ts", import.meta.url),
      );
      const context = { nodes: 3, group, peerFile, scratch, onFatal: () => {} };
      for (const start of [tcpMemory.startRaft, tcpMemory.startBaseline]) {
        const running = await start(context);
        const result = await closedLoop(running.target, commandPool(128, 4), {
          window: 256,
          warmupMs: 50,
          measureMs: 200,
        });
        expect(result.entries).toBeGreaterThan(0);
        await running.close();
      }
    } finally {
      await group.dispose();
    }
  });
});
