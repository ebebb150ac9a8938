import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as zlib from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { crc32ForTest } from "../../src/disk/crc32.js";
import {
  DiskStorage,
  type DiskStorageOptions,
  StorageDirectoryError,
  StorageFailedError,
  StorageUsageError,
  WalCorruptError,
} from "../../src/disk/index.js";
import { type Entry, MemoryStorage, RaftUsageError, type StorageUpdate } from "../../src/index.js";
import { TmpDirs } from "./tmp-dirs.js";

const dirs = new TmpDirs();
afterAll(() => dirs.cleanup());

function entries(from: number, count: number, term: number, size = 128): Entry[] {
  return Array.from({ length: count }, (_, i) => ({
    index: from + i,
    term,
    command: Uint8Array.from({ length: size }, (_, j) => (from + i + j) & 0xff),
  }));
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) total += statSync(join(dir, name)).size;
  return total;
}

function walFiles(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.startsWith("wal-"));
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("DiskStorage: compaction", () => {
  it("a snapshot deletes the segments it covers: the directory shrinks", async () => {
    const dir = join(dirs.make(), "wal");
    const s = await DiskStorage.open(dir, { segmentBytes: 64 * 1024 });
    for (let i = 0; i < 40; i++) {
      await s.persist({ entries: { from: i * 50 + 1, entries: entries(i * 50 + 1, 50, 1) } });
    }
    const grown = dirBytes(dir);
    expect(walFiles(dir).length).toBeGreaterThan(3);
    expect(grown).toBeGreaterThan(2000 * 128);
    expect(s.diskBytes()).toBe(grown - statSync(join(dir, "LOCK")).size);
    await s.persist({
      hardState: { term: 1, votedFor: 0, commit: 1990 },
      snapshot: { meta: { index: 1990, term: 1 }, data: new Uint8Array(1000) },
    });
    const shrunk = dirBytes(dir);
    expect(walFiles(dir)).toHaveLength(1);
    expect(shrunk).toBeLessThan(grown / 50);
    expect(s.diskBytes()).toBeLessThan(shrunk);
    const state = s.initialState();
    expect(state.entries.map((e) => e.index)).toEqual(
      Array.from({ length: 10 }, (_, i) => 1991 + i),
    );
    await s.close();
    const again = await DiskStorage.open(dir);
    expect(again.initialState()).toEqual(state);
    await again.close();
  });

  it("an interrupted compaction (old segments and a temp file left behind) recovers and tidies up", async () => {
    const dir = join(dirs.make(), "wal");
    const s = await DiskStorage.open(dir, { segmentBytes: 4096 });
    await s.persist({ entries: { from: 1, entries: entries(1, 100, 1) } });
    const old = walFiles(dir).map((n) => [n, readFileSync(join(dir, n))] as const);
    await s.persist({ snapshot: { meta: { index: 90, term: 1 }, data: Uint8Array.of(9) } });
    const state = s.initialState();
    await s.close();
    // As if the process died after the checkpoint's rename, before the old segments were gone,
    // and while writing the next segment's temporary file.
    for (const [name, bytes] of old) writeFileSync(join(dir, name), bytes);
    writeFileSync(join(dir, "wal-0000000000000999.log.tmp"), "half a segment");
    const again = await DiskStorage.open(dir);
    expect(again.initialState()).toEqual(state);
    expect(walFiles(dir)).toHaveLength(1);
    await again.close();
  });

  it("a directory with only the first segment's temporary file (a crash in the first open) starts empty", async () => {
    const dir = dirs.make();
    writeFileSync(join(dir, "wal-0000000000000001.log.tmp"), "torn");
    const s = await DiskStorage.open(dir);
    expect(s.initialState()).toEqual({
      hardState: { term: 0, votedFor: null, commit: 0 },
      snapshot: undefined,
      entries: [],
    });
    await s.persist({ entries: { from: 1, entries: entries(1, 1, 1) } });
    await s.close();
    expect(walFiles(dir)).toEqual(["wal-0000000000000001.log"]);
  });
});

describe("DiskStorage: group commit", () => {
  it("persists issued together share one fsync; each resolves only once its bytes are synced", async () => {
    const dir = join(dirs.make(), "wal");
    const s = await DiskStorage.open(dir);
    const pending: Promise<void>[] = [];
    for (let i = 1; i <= 256; i++)
      pending.push(s.persist({ entries: { from: i, entries: entries(i, 1, 1) } }));
    const order: number[] = [];
    pending.forEach((p, i) => void p.then(() => order.push(i)));
    await Promise.all(pending);
    expect(order).toEqual(Array.from({ length: 256 }, (_, i) => i));
    expect(s.stats()).toMatchObject({ persists: 256, records: 256, commits: 1 });
    await s.close();
  });

  it("persists issued while an fsync is in flight go out together in the next one", async () => {
    const dir = join(dirs.make(), "wal");
    const s = await DiskStorage.open(dir);
    let next = 1;
    let acked = 0;
    const writer = async () => {
      for (let k = 0; k < 25; k++) {
        const i = next++;
        await s.persist({ entries: { from: i, entries: entries(i, 1, 1) } });
        acked++;
      }
    };
    await Promise.all(Array.from({ length: 16 }, writer));
    const stats = s.stats();
    expect(acked).toBe(400);
    expect(stats.records).toBe(400);
    // 16 writers, each waiting for its previous persist: about one fsync per round of 16.
    expect(stats.commits).toBeLessThanOrEqual(400 / 4);
    await s.close();
    const again = await DiskStorage.open(dir);
    expect(again.initialState().entries.map((e) => e.index)).toEqual(
      Array.from({ length: 400 }, (_, i) => i + 1),
    );
    await again.close();
  });

  it("an empty update resolves after the updates before it", async () => {
    const dir = join(dirs.make(), "wal");
    const s = await DiskStorage.open(dir);
    const first = s.persist({ entries: { from: 1, entries: entries(1, 1, 1) } });
    let firstDone = false;
    void first.then(() => {
      firstDone = true;
    });
    await s.persist({});
    expect(firstDone).toBe(true);
    expect(s.stats().records).toBe(1);
    await s.close();
  });

  it("close waits for the writes in flight; persist after close throws StorageUsageError", async () => {
    const dir = join(dirs.make(), "wal");
    const s = await DiskStorage.open(dir);
    const p = s.persist({ entries: { from: 1, entries: entries(1, 3, 1) } });
    await s.close();
    await p;
    expect(thrown(() => s.persist({}))).toBeInstanceOf(StorageUsageError);
    const again = await DiskStorage.open(dir);
    expect(again.initialState().entries).toHaveLength(3);
    await again.close();
  });
});

describe("DiskStorage: a failing disk", () => {
  it("a failed write rejects with StorageFailedError, and so does every later persist", async () => {
    const dir = join(dirs.make(), "wal");
    const s = await DiskStorage.open(dir, { segmentBytes: 4096 });
    await s.persist({ entries: { from: 1, entries: entries(1, 1, 1) } });
    // The next segment's temporary file cannot be created: a directory is in its way.
    const blocker = join(dir, "wal-0000000000000002.log.tmp");
    mkdirSync(blocker);
    const big = s.persist({ entries: { from: 2, entries: entries(2, 1, 1, 5000) } });
    const after = s.persist({ hardState: { term: 1, votedFor: null, commit: 1 } });
    const error = await rejection(big);
    expect(error).toBeInstanceOf(StorageFailedError);
    expect((error as StorageFailedError).code).toBe("LAB_RAFT_STORAGE_FAILED");
    expect(((error as Error).cause as NodeJS.ErrnoException).code).toBe("EISDIR");
    expect(await rejection(after)).toBe(error);
    expect(await rejection(s.persist({}))).toBe(error);
    await s.close();
    rmSync(blocker, { recursive: true });
    const again = await DiskStorage.open(dir);
    expect(again.initialState().entries.map((e) => e.index)).toEqual([1]);
    await again.close();
  });
});

describe("DiskStorage: sizes", () => {
  it("raftStateSize() equals MemoryStorage's for the same updates (the course's measure)", async () => {
    const dir = join(dirs.make(), "wal");
    const disk = await DiskStorage.open(dir, { fsync: false });
    const memory = new MemoryStorage();
    const updates: StorageUpdate[] = [
      { hardState: { term: 1, votedFor: null, commit: 0 } },
      { entries: { from: 1, entries: [...entries(1, 3, 0, 0), ...entries(4, 3, 1, 5)] } },
      { entries: { from: 7, entries: entries(7, 2, 300, 200) } },
      { entries: { from: 9, entries: entries(9, 1, 2 ** 40, 70_000) } },
      { entries: { from: 5, entries: entries(5, 2, 400, 130) } },
      { hardState: { term: 2 ** 35, votedFor: 4, commit: 6 } },
      { snapshot: { meta: { index: 3, term: 0 }, data: new Uint8Array(10) } },
      { entries: { from: 7, entries: entries(7, 20, 500, 16_400) } },
    ];
    for (const u of updates) {
      await memory.persist(u);
      await disk.persist(u);
      expect(disk.raftStateSize()).toBe(memory.raftStateSize());
      expect(disk.snapshotSize()).toBe(memory.snapshotSize());
    }
    await disk.close();
  });
});

describe("DiskStorage: bad input", () => {
  it("wrong options and paths are StorageUsageError (a RaftUsageError)", async () => {
    const dir = join(dirs.make(), "wal");
    const bad: [unknown, unknown][] = [
      ["", {}],
      [42, {}],
      [dir, { segmentBytes: 10 }],
      [dir, { segmentBytes: 1.5e4 + 0.5 }],
      [dir, { io: "fast" }],
      [dir, { fsync: "yes" }],
      [dir, { create: 1 }],
      [dir, { segmentsBytes: 4096 }],
      [dir, null],
    ];
    for (const [d, o] of bad) {
      const error = await rejection(DiskStorage.open(d as string, o as DiskStorageOptions));
      expect(error, JSON.stringify([d, o])).toBeInstanceOf(StorageUsageError);
      expect(error).toBeInstanceOf(RaftUsageError);
      expect((error as StorageUsageError).code).toBe("LAB_RAFT_STORAGE_USAGE");
    }
    expect(readdirSync(join(dir, ".."))).toEqual([]); // nothing was created
  });

  it("malformed updates are StorageUsageError and change nothing", async () => {
    const dir = join(dirs.make(), "wal");
    const s = await DiskStorage.open(dir);
    await s.persist({ entries: { from: 1, entries: entries(1, 2, 1) } });
    const state = s.initialState();
    const bad: unknown[] = [
      null,
      { hardState: { term: -1, votedFor: null, commit: 0 } },
      { hardState: { term: 1, votedFor: -2, commit: 0 } },
      { hardState: { term: 1, votedFor: null, commit: Number.NaN } },
      { entries: { from: 0, entries: [] } },
      { entries: { from: 3, entries: [entries(3, 1, 1)[0], entries(5, 1, 1)[0]] } },
      { entries: { from: 3, entries: [{ index: 3, term: 1, command: "x" }] } },
      { snapshot: { meta: { index: 1, term: 1 }, data: [1, 2] } },
    ];
    for (const u of bad) {
      expect(
        thrown(() => s.persist(u as StorageUpdate)),
        JSON.stringify(u),
      ).toBeInstanceOf(StorageUsageError);
    }
    expect(s.initialState()).toEqual(state);
    await s.close();
  });

  it("a directory holding other files, a file, or a missing directory is StorageDirectoryError", async () => {
    const busy = dirs.make();
    writeFileSync(join(busy, "notes.txt"), "hello");
    const e1 = await rejection(DiskStorage.open(busy));
    expect(e1).toBeInstanceOf(StorageDirectoryError);
    expect((e1 as Error).message).toContain("notes.txt");
    expect((e1 as StorageDirectoryError).dir).toBe(busy);
    expect(readdirSync(busy)).toEqual(["notes.txt"]); // the lock was released

    const nested = dirs.make();
    mkdirSync(join(nested, "sub"));
    expect(await rejection(DiskStorage.open(nested))).toBeInstanceOf(StorageDirectoryError);

    const file = join(dirs.make(), "plain-file");
    writeFileSync(file, "x");
    expect(await rejection(DiskStorage.open(file))).toBeInstanceOf(StorageDirectoryError);

    const missing = join(dirs.make(), "missing");
    const e2 = await rejection(DiskStorage.open(missing, { create: false }));
    expect(e2).toBeInstanceOf(StorageDirectoryError);
    expect((e2 as Error).message).toMatch(/does not exist/);
  });

  it("a file named like a segment that holds garbage is a WalCorruptError", async () => {
    const dir = dirs.make();
    writeFileSync(join(dir, "wal-0000000000000001.log"), "garbage, not a log segment at all");
    const error = await rejection(DiskStorage.open(dir));
    expect(error).toBeInstanceOf(WalCorruptError);
    expect((error as Error).message).toMatch(/magic/);
  });

  it("a directory open in another storage is refused until it is closed", async () => {
    const dir = join(dirs.make(), "wal");
    const s = await DiskStorage.open(dir);
    const error = await rejection(DiskStorage.open(dir));
    expect(error).toBeInstanceOf(StorageDirectoryError);
    expect((error as Error).message).toMatch(/already open in this process/);
    await s.close();
    const again = await DiskStorage.open(dir);
    await again.close();
    // A lock left by a process that no longer runs is taken over.
    writeFileSync(join(dir, "LOCK"), "999999999\n");
    const taken = await DiskStorage.open(dir);
    await taken.close();
  });
});

describe("crc32", () => {
  it("the portable fallback agrees with zlib's", () => {
    const data = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7919) & 0xff);
    for (const n of [0, 1, 3, 64, 1000]) {
      const part = data.subarray(0, n);
      expect(crc32ForTest(part)).toBe(zlib.crc32(part));
      expect(crc32ForTest(part, 12345)).toBe(zlib.crc32(part, 12345));
    }
  });
});
