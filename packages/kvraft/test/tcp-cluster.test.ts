// A real kvraft cluster: three startKvRaftServer processes (test/fixtures/kv-server-main.ts) on
// 127.0.0.1, each on a DiskStorage directory of its own, in real time, with clerks of this
// process doing Put/Append/Get concurrently over TCP through connectKvRaft. The leader is killed
// with SIGKILL mid-load and restarted on its directory; every clerk call is recorded and the
// history checked by porcupine. The CI runs every package's tests at once on 2 cores, so every
// wait is a generous deadline with polling: this checks behaviour, not speed.
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RealClock, SeededRandom } from "@lab/labrpc";
import type { KvInput, KvOutput, Operation } from "@lab/porcupine";
import { afterAll, describe, expect, it } from "vitest";
import type { KvRaftClerk } from "../src/index.js";
import { connectKvRaft, type KvRaftConnection } from "../src/server/index.js";
import { checkKvHistory, directoryArtifactWriter, TestClerk } from "../src/testing/index.js";
import { freePorts, KvServerProcess, sleep } from "./fixtures/kv-server-process.js";

const N = 3;
const CLERKS = 5;
/** Small, so every server snapshots many times and the restarted one recovers from one. */
const MAX_RAFT_STATE = 2000;
const LISTEN_TIMEOUT_MS = 60_000;
const PROGRESS_TIMEOUT_MS = 60_000;

const root = mkdtempSync(join(tmpdir(), "lab-kvraft-tcp-"));
const everyProcess: KvServerProcess[] = [];
/** The live process of each server id. */
const servers: KvServerProcess[] = [];
let addresses: string[] = [];
let dirs: string[] = [];
let connection: KvRaftConnection | undefined;

function spawnServer(id: number, bindRetryMs: number): KvServerProcess {
  const server = new KvServerProcess({
    id,
    addresses,
    dir: dirs[id] as string,
    maxRaftState: MAX_RAFT_STATE,
    bindRetryMs,
  });
  everyProcess.push(server);
  servers[id] = server;
  return server;
}

const diagnostics = () => servers.map((s) => s.diagnostics).join("\n");

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired])
    .catch((error: unknown) => {
      throw new Error(`${String(error)}\n${diagnostics()}`);
    })
    .finally(() => clearTimeout(timer));
}

async function until(cond: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + PROGRESS_TIMEOUT_MS;
  while (!(await cond())) {
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${PROGRESS_TIMEOUT_MS} ms\n${diagnostics()}`);
    await sleep(50);
  }
}

/** Starts the three processes; on a port someone else took meanwhile, again on fresh ports. */
async function startCluster(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const ports = await freePorts(N);
    addresses = ports.map((port) => `127.0.0.1:${port}`);
    dirs = ports.map((_, i) => join(root, `attempt-${attempt}`, `kv-${i}`));
    for (let id = 0; id < N; id++) spawnServer(id, 0);
    try {
      await withTimeout(Promise.all(servers.map((s) => s.listening)), LISTEN_TIMEOUT_MS, "start");
      return;
    } catch (error) {
      await Promise.all(servers.map((s) => s.kill()));
      if (attempt >= 3 || !String(error).includes("EADDRINUSE")) throw error;
    }
  }
}

/** The live server that leads in the highest term, once there is one. */
async function leader(): Promise<number> {
  let found: number | undefined;
  await until(async () => {
    const states = await Promise.all(servers.map((s) => s.state()));
    let best = -1;
    states.forEach((s, id) => {
      if (s?.isLeader === true && (found === undefined || s.term > best)) {
        found = id;
        best = s.term;
      }
    });
    return found !== undefined;
  }, "a leader");
  return found as number;
}

/** Writes garbage to `address` on a fresh connection; resolves when the server hangs up. */
function sendGarbage(address: string): Promise<void> {
  const colon = address.lastIndexOf(":");
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: address.slice(0, colon),
      port: Number(address.slice(colon + 1)),
    });
    socket.on("connect", () => socket.write(Uint8Array.from([0, 0, 0, 5, 0xee, 1, 2, 3, 4])));
    socket.on("error", reject);
    socket.on("close", () => resolve());
    socket.resume();
  });
}

afterAll(async () => {
  await connection?.close();
  await Promise.all(everyProcess.map((s) => s.kill()));
  rmSync(root, { recursive: true, force: true, maxRetries: 5 });
}, 30_000);

describe("kvraft: three startKvRaftServer processes over TCP on 127.0.0.1, DiskStorage each", () => {
  it("clerks keep going through kill -9 of the leader and its restart; the history is linearizable", {
    timeout: 240_000,
  }, async () => {
    await startCluster();
    const conn = connectKvRaft(addresses);
    connection = conn;
    const clock = new RealClock();
    const history: Operation<KvInput, KvOutput>[] = [];
    const record = (operation: Operation<KvInput, KvOutput>) => history.push(operation);
    const clerk = (i: number) => new TestClerk<KvRaftClerk>(i, [], conn.clerk(), clock, record);

    // Each clerk appends unique tokens to a key of its own (so the final value says which
    // appends took effect, and how often), puts to and gets shared keys, and reads the other
    // clerks' keys.
    const acknowledged: string[][] = Array.from({ length: CLERKS }, () => []);
    const done = new Array<number>(CLERKS).fill(0);
    let stop = false;
    const worker = async (i: number) => {
      const ck = clerk(i);
      const random = new SeededRandom(6_5840 + i);
      for (let j = 0; !stop; j++) {
        const draw = random.int(10);
        if (draw < 4) {
          const token = `<${i}.${j}>`;
          await ck.append(`a${i}`, token);
          acknowledged[i]?.push(token);
        } else if (draw < 6) {
          await ck.put(`s${random.int(3)}`, `${i}.${j}`);
        } else if (draw < 8) {
          await ck.get(`s${random.int(3)}`);
        } else {
          await ck.get(`a${random.int(CLERKS)}`);
        }
        done[i] = (done[i] as number) + 1;
      }
    };
    const workers = Array.from({ length: CLERKS }, (_, i) => worker(i));
    const workersDone = Promise.all(workers);
    workersDone.catch(() => {});
    /** Resolves once every clerk completed `more` operations after this call. */
    const progress = (more: number, what: string) => {
      const from = [...done];
      return until(() => done.every((d, i) => d >= (from[i] as number) + more), what);
    };

    // Enough that every server has snapshotted (about 60 operations fill 90 % of 2000 bytes).
    await progress(30, "operations before the kill");

    // Garbage to a follower's port mid-load: reported as a typed error; it keeps serving.
    const old = await leader();
    const follower = (old + 1) % N;
    await sendGarbage(addresses[follower] as string);

    const victim = servers[old] as KvServerProcess;
    const before = await victim.state();
    const exit = await victim.kill();
    expect(exit.signal).toBe("SIGKILL");
    await progress(15, "operations with the leader killed");
    const next = await leader();
    expect(next).not.toBe(old);

    // Same id, address and directory; the port may take a moment to be free again.
    const restarted = spawnServer(old, 20_000);
    const { address, recovered } = await withTimeout(
      restarted.listening,
      LISTEN_TIMEOUT_MS,
      "restart",
    );
    expect(address).toBe(addresses[old]);
    // It recovers from a snapshot and the log after it: at least what it had applied.
    expect(recovered.snapshotIndex).toBeGreaterThan(0);
    expect(recovered.lastIndex).toBeGreaterThanOrEqual(before?.applied ?? 1);
    await progress(15, "operations after the restart");
    stop = true;
    await withTimeout(workersDone, PROGRESS_TIMEOUT_MS, "clerks finishing");

    // The final values, read through a clerk (and recorded too).
    const reader = clerk(CLERKS);
    const keys = Array.from({ length: CLERKS }, (_, i) => `a${i}`);
    const finals: string[] = [];
    for (const key of keys) finals.push(await reader.get(key));
    finals.forEach((value, i) => {
      const tokens = value.match(/<\d+\.\d+>/g) ?? [];
      // Every acknowledged append exactly once, in the order its clerk made them, and nothing else.
      expect(tokens, `a${i}`).toEqual(acknowledged[i]);
    });
    expect(acknowledged.every((tokens) => tokens.length > 0)).toBe(true);

    const verdict = checkKvHistory(history, {
      reportName: "tcp-cluster",
      artifacts: directoryArtifactWriter("test-artifacts"),
      budgetMs: 30_000,
    });
    expect(verdict.result === "illegal" ? verdict.message : verdict.result).toBe("ok");

    // All three, the restarted one included, end with the same state.
    let applied: number[] = [];
    await until(async () => {
      const states = await Promise.all(servers.map((s) => s.state()));
      applied = states.map((s) => s?.applied ?? -1);
      return applied.every((a) => a > 0 && a === applied[0]);
    }, "the three servers applying the same log");
    for (const server of servers)
      expect(await server.peek(keys), `server ${server.id}`).toEqual(finals);

    expect(servers[follower]?.rpcErrors).toContain("LAB_RPC_FRAME_CORRUPT");
    expect(servers.every((s) => s.alive)).toBe(true);
    await conn.close();
    connection = undefined;
    // End of stdin: each closes its server and exits 0.
    const exits = await Promise.all(servers.map((s) => s.stop()));
    expect(exits.map((e) => e.code)).toEqual([0, 0, 0]);
  });
});
