// @lab/kvraft/server in this process: one-server clusters over TCP on 127.0.0.1, DiskStorage in a
// temporary directory. The three-process cluster with kill -9 is test/tcp-cluster.test.ts.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Codec } from "@lab/labgob";
import { BadRequestError, defineService, FrameCorruptError, FrameTooLargeError } from "@lab/labrpc";
import { MemoryStorage, RaftUsageError } from "@lab/raft";
import { StorageDirectoryError, WalCorruptError } from "@lab/raft/disk";
import { afterAll, describe, expect, it } from "vitest";
import { ClerkClosedError, KvUsageError } from "../src/index.js";
import {
  connectKvRaft,
  type KvRaftProcess,
  type KvRaftProcessOptions,
  startKvRaftServer,
} from "../src/server/index.js";

const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map((dir) => rm(dir, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "lab-kvraft-server-"));
  roots.push(dir);
  return dir;
}

/** A one-server cluster: it elects itself at once. */
function startOne(dir: string, more: Partial<KvRaftProcessOptions> = {}): Promise<KvRaftProcess> {
  return startKvRaftServer({ id: 0, addresses: ["127.0.0.1:0"], dir, ...more });
}

async function waitFor(cond: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("condition not reached");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("startKvRaftServer and connectKvRaft", () => {
  it("serves clerks over TCP, snapshots near maxRaftState, and recovers from its directory", async () => {
    const dir = join(await tempDir(), "kv-0");
    const first = await startOne(dir, { maxRaftState: 1000 });
    expect(first.recovered.lastIndex).toBe(0);
    const cluster = connectKvRaft([first.address]);
    const clerk = cluster.clerk();
    await clerk.put("greeting", "hello");
    for (let i = 0; i < 40; i++) await clerk.append("log", `${i};`);
    expect(await clerk.get("greeting")).toBe("hello");
    expect(await clerk.get("missing")).toBe("");
    const log = Array.from({ length: 40 }, (_, i) => `${i};`).join("");
    expect(await clerk.get("log")).toBe(log);
    // 42 entries of ~60 bytes each passed 90 % of 1000 bytes of log: a snapshot was taken.
    expect(first.raftServer.status().snapshotIndex).toBeGreaterThan(0);
    expect(first.raftServer.storage.raftStateSize()).toBeLessThan(1000);
    await first.close();
    expect(first.closed).toBe(true);

    // The same directory: the snapshot and the log after it come back, and so does the state.
    const second = await startOne(dir, { maxRaftState: 1000 });
    expect(second.recovered.snapshotIndex).toBeGreaterThan(0);
    // 41 writes and the leader's one no-op for its reads: the Gets took no log entry.
    expect(second.recovered.lastIndex).toBe(42);
    const again = connectKvRaft([second.address]).clerk();
    expect(await again.get("log")).toBe(log);
    await again.append("log", "after;");
    expect(await again.get("log")).toBe(`${log}after;`);
    expect(second.kv.peek("greeting")).toBe("hello");
    await second.close();
    await cluster.close();
  });

  it("an operation in flight when the connection closes rejects with ClerkClosedError", async () => {
    // A server that is not the address dialled: every call fails and the clerk keeps retrying.
    const cluster = connectKvRaft(["127.0.0.1:1"], { callTimeoutMs: 100, retryDelayMs: 10 });
    const pending = cluster.clerk().put("k", "v");
    // Attached now: the put may reject while close() is still awaiting its sockets, and a
    // rejection with no handler yet is reported as unhandled.
    const outcome = expect(pending).rejects.toThrow(ClerkClosedError);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await cluster.close();
    await outcome;
  });

  it("refuses malformed options with typed errors, leaving the directory unlocked", async () => {
    const dir = join(await tempDir(), "kv-0");
    const cases: [unknown, new (...args: never[]) => Error][] = [
      [{ id: 0, addresses: ["127.0.0.1:0"] }, KvUsageError],
      [{ id: 0, addresses: ["127.0.0.1:0"], dir, storage: new MemoryStorage() }, KvUsageError],
      [{ id: 0, addresses: ["127.0.0.1:0"], dir: "" }, KvUsageError],
      [{ id: 1, addresses: ["127.0.0.1:0"], dir }, RaftUsageError],
      [{ id: 0, addresses: [], dir }, RaftUsageError],
      [{ id: 0, addresses: ["127.0.0.1:0"], dir, maxRaftState: 0 }, KvUsageError],
      [{ id: 0, addresses: ["127.0.0.1:0"], dir, requestTimeoutMs: -1 }, KvUsageError],
    ];
    for (const [options, type] of cases) {
      await expect(
        startKvRaftServer(options as KvRaftProcessOptions),
        JSON.stringify(options),
      ).rejects.toThrow(type);
    }
    await expect(startKvRaftServer(null as unknown as KvRaftProcessOptions)).rejects.toThrow(
      KvUsageError,
    );
    // Nothing kept the directory locked.
    const server = await startOne(dir);
    await server.close();

    expect(() => connectKvRaft([])).toThrow(KvUsageError);
    expect(() => connectKvRaft(["nonsense"])).toThrow(/host:port/);
    expect(() => connectKvRaft(["127.0.0.1:1"], { callTimeoutMs: 0 })).toThrow(KvUsageError);
  });

  it("a directory that is not a storage's, held by another server, or damaged: typed errors", async () => {
    const root = await tempDir();
    const stray = join(root, "stray");
    await startOne(stray).then((s) => s.close());
    writeFileSync(join(stray, "notes.txt"), "not a segment");
    await expect(startOne(stray)).rejects.toThrow(StorageDirectoryError);

    const held = join(root, "held");
    const running = await startOne(held);
    await expect(startOne(held)).rejects.toThrow(StorageDirectoryError);
    await running.close();

    // Damage the first segment's header: recovery refuses rather than guess.
    const damaged = join(root, "damaged");
    const server = await startOne(damaged);
    const clerk = connectKvRaft([server.address]);
    await clerk.clerk().put("k", "v");
    await clerk.close();
    await server.close();
    const segment = readdirSync(damaged).find((name) => name.endsWith(".log"));
    expect(segment).toBeDefined();
    const path = join(damaged, segment as string);
    const bytes = readFileSync(path);
    bytes[0] = (bytes[0] as number) ^ 0xff;
    writeFileSync(path, bytes);
    const error = await startOne(damaged).then(
      (s) => s.close().then(() => undefined),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WalCorruptError);
    expect((error as WalCorruptError).file).toBe(path);
  });

  it("garbage on the port is reported as a typed error and the server keeps serving", async () => {
    const errors: Error[] = [];
    const server = await startOne(join(await tempDir(), "kv-0"), {
      transport: { onError: (error) => errors.push(error), maxFrameBytes: 64 * 1024 },
    });
    await waitFor(() => server.isLeader());
    const colon = server.address.lastIndexOf(":");
    const host = server.address.slice(0, colon);
    const port = server.address.slice(colon + 1);

    /** Writes `bytes` on a fresh connection and waits until the server closes it. */
    const send = (bytes: Uint8Array) =>
      new Promise<void>((resolve, reject) => {
        const socket = connect({ host, port: Number(port) }, () => socket.write(bytes));
        socket.on("error", reject);
        socket.on("close", () => resolve());
        socket.resume();
      });
    // A frame of an unknown kind, then a length prefix far above maxFrameBytes.
    await send(Uint8Array.from([0, 0, 0, 5, 9, 0, 0, 0, 1]));
    await send(Uint8Array.from([0x7f, 0xff, 0xff, 0xff, 1, 2, 3]));
    await waitFor(() => errors.length >= 2);
    expect(errors[0]).toBeInstanceOf(FrameCorruptError);
    expect(errors[1]).toBeInstanceOf(FrameTooLargeError);

    // A well-framed request whose payload is not a KvPutAppendArgs: a BadRequestError reply.
    const raw: Codec<Uint8Array> = { name: "raw", encode: (b) => b, decode: (b) => b };
    const Garbage = defineService("KVServer", { Put: { request: raw, reply: raw } });
    const cluster = connectKvRaft([server.address]);
    const end = cluster.ends[0];
    await expect(
      end?.call(Garbage.methods.Put, Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f])),
    ).rejects.toThrow(BadRequestError);

    // Still serving.
    const clerk = cluster.clerk();
    await clerk.put("k", "still here");
    expect(await clerk.get("k")).toBe("still here");
    expect(server.closed).toBe(false);
    await cluster.close();
    await server.close();
  });
});
