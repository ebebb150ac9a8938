import { cpSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  DiskStorage,
  type DiskStorageOptions,
  StorageCorruptError,
  WalCorruptError,
} from "../../src/disk/index.js";
import type { Entry, StoredState } from "../../src/index.js";
import { TmpDirs } from "./tmp-dirs.js";

const dirs = new TmpDirs();
afterAll(() => dirs.cleanup());

// Recovery does not depend on fsync; skipping it keeps the hundreds of opens below fast.
const FAST: DiskStorageOptions = { fsync: false };

function entries(from: number, count: number, term: number, size = 40): Entry[] {
  return Array.from({ length: count }, (_, i) => ({
    index: from + i,
    term,
    command: Uint8Array.from({ length: size }, (_, j) => (from + i) * 13 + j),
  }));
}

function segments(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => /^wal-\d{16}\.log$/.test(n))
    .sort();
}

function lastSegment(dir: string): string {
  return join(dir, segments(dir).at(-1) as string);
}

function fileSize(file: string): number {
  return readFileSync(file).length;
}

/** A copy of `dir` (a closed storage) in a new directory, with `edit` applied to the copy. */
function damagedCopy(dir: string, edit: (copy: string) => void): string {
  const copy = join(dirs.make(), "copy");
  cpSync(dir, copy, { recursive: true });
  edit(copy);
  return copy;
}

function flipByte(file: string, offset: number): void {
  const bytes = readFileSync(file);
  bytes[offset] = (bytes[offset] as number) ^ 0x5a;
  writeFileSync(file, bytes);
}

async function stateOf(dir: string): Promise<StoredState> {
  const s = await DiskStorage.open(dir, FAST);
  try {
    return s.initialState();
  } finally {
    await s.close();
  }
}

async function openError(dir: string): Promise<unknown> {
  try {
    const s = await DiskStorage.open(dir, FAST);
    await s.close();
  } catch (error) {
    return error;
  }
  return undefined;
}

/**
 * A closed storage whose log ends with one more record after `before`: returns the directory,
 * the state before and after that record, and where it starts and ends in the last segment.
 */
async function logWithFinalRecord(options: DiskStorageOptions = {}) {
  const dir = join(dirs.make(), "wal");
  const s = await DiskStorage.open(dir, options);
  await s.persist({ hardState: { term: 1, votedFor: 0, commit: 0 } });
  await s.persist({ entries: { from: 1, entries: entries(1, 5, 1) } });
  await s.persist({ snapshot: { meta: { index: 2, term: 1 }, data: Uint8Array.of(1, 2, 3) } });
  await s.persist({ hardState: { term: 2, votedFor: null, commit: 3 } });
  await s.persist({ entries: { from: 5, entries: entries(5, 3, 2) } }); // truncates 5
  const before = s.initialState();
  const start = fileSize(lastSegment(dir));
  await s.persist({
    hardState: { term: 2, votedFor: 1, commit: 6 },
    entries: { from: 8, entries: entries(8, 2, 2, 70) },
  });
  const after = s.initialState();
  await s.close();
  const end = fileSize(lastSegment(dir));
  return { dir, before, after, start, end };
}

describe("recovery from a torn final write", () => {
  it("truncation at every byte offset of the final record keeps the prefix before it", async () => {
    const { dir, before, after, start, end } = await logWithFinalRecord();
    expect(end - start).toBeGreaterThan(150);
    expect(await stateOf(dir)).toEqual(after);
    for (let cut = start; cut < end; cut++) {
      const copy = damagedCopy(dir, (c) => truncateSync(lastSegment(c), cut));
      const s = await DiskStorage.open(copy, FAST);
      expect(s.initialState(), `cut at ${cut}`).toEqual(before);
      expect(s.stats().tornBytesDropped).toBe(cut - start);
      // The torn bytes are gone from the file: what is appended next follows the valid prefix.
      await s.persist({ entries: { from: 8, entries: entries(8, 1, 3) } });
      const next = s.initialState();
      await s.close();
      expect(fileSize(lastSegment(copy))).toBeLessThan(end);
      expect(await stateOf(copy), `cut at ${cut}, then an append`).toEqual(next);
    }
  });

  it("truncation at every offset of a continuation segment's first record", async () => {
    // Segments of 4 KiB: a 5 KiB entry goes to a segment of its own.
    const dir = join(dirs.make(), "wal");
    const s = await DiskStorage.open(dir, { segmentBytes: 4096 });
    await s.persist({ entries: { from: 1, entries: entries(1, 20, 1, 100) } });
    const before = s.initialState();
    const count = segments(dir).length;
    await s.persist({ entries: { from: 21, entries: entries(21, 1, 1, 5000) } });
    await s.close();
    expect(segments(dir).length).toBe(count + 1);
    const end = fileSize(lastSegment(dir));
    for (let cut = 28; cut < end; cut += cut < 100 || cut > end - 100 ? 1 : 97) {
      const copy = damagedCopy(dir, (c) => truncateSync(lastSegment(c), cut));
      expect(await stateOf(copy), `cut at ${cut}`).toEqual(before);
    }
  });

  it("a flipped byte anywhere in the final record drops that record only", async () => {
    const { dir, before, start, end } = await logWithFinalRecord();
    for (let at = start; at < end; at++) {
      const copy = damagedCopy(dir, (c) => flipByte(lastSegment(c), at));
      expect(await stateOf(copy), `byte ${at} flipped`).toEqual(before);
    }
  });
});

describe("recovery refuses damage in the middle", () => {
  it("a flipped byte in any byte of a record followed by valid ones is a WalCorruptError naming file and offset", async () => {
    const dir = join(dirs.make(), "wal");
    const s = await DiskStorage.open(dir, FAST);
    await s.persist({ entries: { from: 1, entries: entries(1, 2, 1) } });
    const start = fileSize(lastSegment(dir));
    await s.persist({ entries: { from: 3, entries: entries(3, 2, 1) } }); // the victim
    const end = fileSize(lastSegment(dir));
    await s.persist({ entries: { from: 5, entries: entries(5, 2, 1) } });
    await s.persist({ hardState: { term: 1, votedFor: 2, commit: 4 } });
    await s.close();
    const name = segments(dir).at(-1) as string;
    for (let at = start; at < end; at++) {
      const copy = damagedCopy(dir, (c) => flipByte(join(c, name), at));
      const error = await openError(copy);
      expect(error, `byte ${at} flipped`).toBeInstanceOf(WalCorruptError);
      expect(error).toBeInstanceOf(StorageCorruptError);
      const e = error as WalCorruptError;
      expect(e.code).toBe("LAB_RAFT_WAL_CORRUPT");
      expect(e.file).toBe(join(copy, name));
      expect(e.offset).toBe(start);
      expect(e.message).toContain(name);
      expect(e.message).toContain(`byte ${start}`);
    }
  });

  it("a torn record in a segment that is not the last is corruption", async () => {
    const dir = join(dirs.make(), "wal");
    const s = await DiskStorage.open(dir, { ...FAST, segmentBytes: 4096 });
    for (let i = 1; i <= 100; i++)
      await s.persist({ entries: { from: i, entries: entries(i, 1, 1, 100) } });
    await s.close();
    const names = segments(dir);
    expect(names.length).toBeGreaterThan(2);
    const first = names[0] as string;
    const copy = damagedCopy(dir, (c) =>
      truncateSync(join(c, first), fileSize(join(c, first)) - 3),
    );
    const error = await openError(copy);
    expect(error).toBeInstanceOf(WalCorruptError);
    expect((error as WalCorruptError).file).toBe(join(copy, first));
    expect((error as Error).message).toMatch(/not the last/);
    // An emptied segment, and a missing one, in the middle of the log.
    const emptied = damagedCopy(dir, (c) => writeFileSync(join(c, names[1] as string), ""));
    expect(await openError(emptied)).toBeInstanceOf(WalCorruptError);
    const gap = damagedCopy(dir, (c) => rmSync(join(c, names[1] as string)));
    const missing = await openError(gap);
    expect(missing).toBeInstanceOf(WalCorruptError);
    expect((missing as Error).message).toMatch(/segment \d+ is missing/);
  });

  it("a damaged checkpoint record or segment header is corruption, even in the last segment", async () => {
    const { dir } = await logWithFinalRecord();
    const name = segments(dir).at(-1) as string;
    for (const at of [0, 9, 27, 28, 40]) {
      const copy = damagedCopy(dir, (c) => flipByte(join(c, name), at));
      const error = await openError(copy);
      expect(error, `byte ${at} flipped`).toBeInstanceOf(WalCorruptError);
    }
  });
});
