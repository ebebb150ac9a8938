// A real cluster: three RaftServer processes (test/fixtures/tcp-peer.ts) on 127.0.0.1, each on
// a DiskStorage directory of its own, talking over the TCP transport, in real time. The CI runs
// every package's tests at once on 2 cores, so every wait is a generous deadline with polling:
// this checks behaviour, not speed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePorts, PeerProcess, type StateReply, sleep } from "./fixtures/peer-process.js";

const N = 3;
const STEP_TIMEOUT_MS = 90_000;
const LISTEN_TIMEOUT_MS = 60_000;
const LEADER_TIMEOUT_MS = 30_000;
const COMMIT_TIMEOUT_MS = 40_000;

const root = mkdtempSync(join(tmpdir(), "lab-raft-tcp-"));
const everyProcess: PeerProcess[] = [];
/** The live process of each peer id. */
const peers: PeerProcess[] = [];
let addresses: string[] = [];
let dirs: string[] = [];
/** Leaders seen by term over the whole test: Raft allows at most one per term. */
const leadersByTerm = new Map<number, Set<number>>();

function spawnPeer(id: number, bindRetryMs: number): PeerProcess {
  const peer = new PeerProcess({ id, addresses, dir: dirs[id] as string, bindRetryMs });
  everyProcess.push(peer);
  peers[id] = peer;
  return peer;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

const diagnostics = () => peers.map((p) => p.diagnostics).join("\n");
const live = () => peers.filter((p) => p.alive);

/** Starts the three processes; on a port someone else took meanwhile, again on fresh ports. */
async function startCluster(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const ports = await freePorts(N);
    addresses = ports.map((port) => `127.0.0.1:${port}`);
    dirs = ports.map((_, i) => join(root, `attempt-${attempt}`, `peer-${i}`));
    for (let id = 0; id < N; id++) spawnPeer(id, 0);
    try {
      await withTimeout(
        Promise.all(peers.map((p) => p.listening)),
        LISTEN_TIMEOUT_MS,
        "cluster start",
      );
      return;
    } catch (error) {
      await Promise.all(peers.map((p) => p.kill()));
      if (attempt >= 3 || !String(error).includes("EADDRINUSE")) {
        throw new Error(`${String(error)}\n${diagnostics()}`);
      }
    }
  }
}

async function pollStates(): Promise<(StateReply | undefined)[]> {
  const states = await Promise.all(peers.map((p) => p.state()));
  states.forEach((s, id) => {
    if (s?.isLeader !== true) return;
    const set = leadersByTerm.get(s.term) ?? new Set<number>();
    set.add(id);
    leadersByTerm.set(s.term, set);
  });
  return states;
}

/**
 * Waits until the live peers agree: exactly one of them leads, and all are in its term.
 * Returns its id and term.
 */
async function waitForOneLeader(): Promise<{ id: number; term: number }> {
  const deadline = Date.now() + LEADER_TIMEOUT_MS;
  let last: (StateReply | undefined)[] = [];
  while (Date.now() < deadline) {
    last = await pollStates();
    const alive = last.filter((_, id) => peers[id]?.alive === true);
    const leaders = last.flatMap((s, id) => (s?.isLeader === true ? [{ id, term: s.term }] : []));
    const [leader] = leaders;
    if (
      leaders.length === 1 &&
      leader !== undefined &&
      alive.every((s) => s !== undefined && s.term === leader.term)
    ) {
      return leader;
    }
    await sleep(100);
  }
  throw new Error(
    `no single leader within ${LEADER_TIMEOUT_MS} ms: ${JSON.stringify(last)}\n${diagnostics()}`,
  );
}

/**
 * The course's `one`: submits `command` to whichever peer leads and waits until every peer of
 * `expected` applied it at the index the leader gave it; retries on another leader if it was
 * lost to a leadership change. Returns the index.
 */
async function one(command: string, expected: readonly PeerProcess[]): Promise<number> {
  const deadline = Date.now() + COMMIT_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const states = await pollStates();
    let leader: number | undefined;
    states.forEach((s, id) => {
      if (s?.isLeader === true && (leader === undefined || s.term > (states[leader]?.term ?? 0))) {
        leader = id;
      }
    });
    const started = leader === undefined ? undefined : await peers[leader]?.start(command);
    if (started?.isLeader !== true) {
      await sleep(100);
      continue;
    }
    const waitUntil = Math.min(deadline, Date.now() + 10_000);
    while (Date.now() < waitUntil) {
      const got = expected.map((p) => p.applied.get(started.index));
      if (got.every((c) => c !== undefined)) {
        if (got.every((c) => c === command)) return started.index;
        break; // another command took the index: ours was lost, submit it again
      }
      await sleep(25);
    }
  }
  throw new Error(
    `"${command}" not applied by peers ${expected.map((p) => p.id)}\n${diagnostics()}`,
  );
}

/** Waits until every peer of `expected` applied up to `index`. */
async function waitApplied(expected: readonly PeerProcess[], index: number): Promise<void> {
  const deadline = Date.now() + COMMIT_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (expected.every((p) => p.lastApplied >= index)) return;
    await sleep(25);
  }
  throw new Error(`peers did not all apply up to ${index}\n${diagnostics()}`);
}

/** The applied logs of `expected` agree on 1..upTo, with no gaps; returns that log. */
function expectSameLogs(expected: readonly PeerProcess[], upTo: number): string[] {
  const first = expected[0]?.log(upTo) ?? [];
  expect(first.every((c) => c !== undefined)).toBe(true);
  for (const p of expected) {
    expect(p.log(upTo), `peer ${p.id} against peer ${expected[0]?.id}`).toEqual(first);
    expect(p.applyErrors).toEqual([]);
  }
  return first as string[];
}

function expectOneLeaderPerTerm(): void {
  for (const [term, ids] of leadersByTerm) {
    expect([...ids], `leaders of term ${term}`).toHaveLength(1);
  }
}

beforeAll(startCluster, LISTEN_TIMEOUT_MS * 3 + 10_000);

afterAll(async () => {
  await Promise.all(everyProcess.map((p) => p.kill()));
  rmSync(root, { recursive: true, force: true, maxRetries: 5 });
}, 30_000);

describe("RaftServer: three processes over TCP on 127.0.0.1, DiskStorage each", () => {
  let leader: { id: number; term: number };
  let killed: { id: number; term: number; applied: number };

  it("elect exactly one leader", { timeout: STEP_TIMEOUT_MS }, async () => {
    leader = await waitForOneLeader();
    expect(leader.term).toBeGreaterThanOrEqual(1);
    // A stale leader of an older term may linger for a moment; two in one term never.
    expect([...(leadersByTerm.get(leader.term) ?? [])]).toEqual([leader.id]);
    expectOneLeaderPerTerm();
  });

  it("apply commands in the same order on all three", { timeout: STEP_TIMEOUT_MS }, async () => {
    const all = [...peers];
    // One at a time, each committed everywhere before the next.
    const indexes: number[] = [];
    for (let i = 1; i <= 5; i++) indexes.push(await one(`b${i}`, all));
    for (let i = 1; i < indexes.length; i++) {
      expect(indexes[i]).toBeGreaterThan(indexes[i - 1] as number);
    }
    // A burst started on the leader without waiting: one batch through the pipeline.
    const current = await waitForOneLeader();
    const burst = Array.from({ length: 20 }, (_, i) => `burst${i + 1}`);
    const replies = await Promise.all(burst.map((c) => peers[current.id]?.start(c)));
    const lastIndex = Math.max(...replies.map((r) => (r?.isLeader === true ? r.index : 0)));
    if (lastIndex > 0) {
      await waitApplied(all, lastIndex).catch(() => {});
    }
    // Whatever a leadership change lost is submitted again.
    for (const c of burst) {
      if (![...(peers[0]?.applied.values() ?? [])].includes(c)) await one(c, all);
    }
    const upTo = Math.min(...all.map((p) => p.lastApplied));
    const log = expectSameLogs(all, upTo);
    const order = [...burst, "b1", "b2", "b3", "b4", "b5"].map((c) => log.indexOf(c));
    expect(order.every((i) => i >= 0)).toBe(true);
    // The sequential commands went in in their order; the burst after them.
    const positions = ["b1", "b2", "b3", "b4", "b5"].map((c) => log.indexOf(c));
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(Math.min(...burst.map((c) => log.indexOf(c)))).toBeGreaterThan(positions[4] as number);
    expectOneLeaderPerTerm();
  });

  it("survive kill -9 of the leader: a new leader commits", {
    timeout: STEP_TIMEOUT_MS,
  }, async () => {
    const old = await waitForOneLeader();
    const victim = peers[old.id] as PeerProcess;
    const applied = victim.lastApplied;
    const exit = await victim.kill();
    expect(exit.signal).toBe("SIGKILL");
    killed = { id: old.id, term: old.term, applied };

    const next = await waitForOneLeader();
    expect(next.id).not.toBe(old.id);
    expect(next.term).toBeGreaterThan(old.term);
    const survivors = live();
    expect(survivors.map((p) => p.id)).not.toContain(old.id);
    expect(survivors).toHaveLength(N - 1);
    const indexes: number[] = [];
    for (let i = 1; i <= 5; i++) indexes.push(await one(`c${i}`, survivors));
    const upTo = Math.min(...survivors.map((p) => p.lastApplied));
    expect(upTo).toBeGreaterThanOrEqual(Math.max(...indexes));
    const log = expectSameLogs(survivors, upTo);
    expect(log.slice(0, applied)).toEqual(victim.log(applied));
    expectOneLeaderPerTerm();
  });

  it("restart the killed peer on its directory: it recovers its log and catches up", {
    timeout: STEP_TIMEOUT_MS,
  }, async () => {
    expect(killed).toBeDefined();
    // Same id, address and directory; the port may take a moment to be free again.
    const restarted = spawnPeer(killed.id, 20_000);
    const { address, recovered } = await withTimeout(
      restarted.listening,
      LISTEN_TIMEOUT_MS,
      "restart",
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${diagnostics()}`);
    });
    expect(address).toBe(addresses[killed.id]);
    // Everything it applied was in its persisted log, and its term survived.
    expect(recovered.lastIndex).toBeGreaterThanOrEqual(killed.applied);
    expect(recovered.term).toBeGreaterThanOrEqual(killed.term);

    const all = [...peers];
    expect(all.every((p) => p.alive)).toBe(true);
    const indexes: number[] = [];
    for (let i = 1; i <= 3; i++) indexes.push(await one(`d${i}`, all));
    const last = Math.max(...all.map((p) => p.lastApplied));
    await waitApplied(all, last);
    const log = expectSameLogs(all, last);
    expect(log.length).toBeGreaterThanOrEqual(Math.max(...indexes));
    for (const c of ["b1", "burst20", "c5", "d3"]) expect(log).toContain(c);
    expectOneLeaderPerTerm();
  });
});
