import { isLabError } from "@lab/labgob";
import type { Entry, HardState, Snapshot } from "../core/types.js";
import { applyUpdate, emptyState, type MutableState } from "../storage/apply-update.js";
import type { Storage, StorageUpdate, StoredState } from "../storage/storage.js";
import { StorageCorruptError } from "../storage/storage-errors.js";

/**
 * What a {@link Storage} implementation provides to be checked by
 * {@link storageComplianceCases}: a way to get an empty storage and a way to restart from one.
 * `MemoryStorage` (restart: `crash()`) and `DiskStorage` (restart: close and open the directory
 * again) each have one in this package's tests; write one for your own storage.
 */
export interface StorageHarness {
  /** The implementation's name, for messages. */
  readonly name: string;
  /** A new, empty storage. Cases call it once each. */
  open(): Storage | Promise<Storage>;
  /**
   * The storage a peer restarting after a crash would find: every update whose `persist` has
   * returned or resolved must be there. `storage` is not used again.
   */
  reopen(storage: Storage): Storage | Promise<Storage>;
  /** Releases everything the harness created (files, handles). Called after every case. */
  close(): Promise<void>;
}

/** One check of the storage contract; `run` throws an `Error` describing any violation. */
export interface StorageComplianceCase {
  /** What the case checks, usable as a test name. */
  readonly name: string;
  /** Runs the case on storages from `harness`; rejects with a description of any violation. */
  run(harness: StorageHarness): Promise<void>;
}

class ComplianceFailure extends Error {
  override name = "StorageComplianceFailure";
}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ComplianceFailure(message);
}

/** Bytes derived from `seed`, so stored commands can be checked byte for byte. */
function pattern(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (seed * 131 + i * 7 + (i >>> 8)) & 0xff;
  return out;
}

function entry(index: number, term: number, length = 16): Entry {
  return { index, term, command: pattern(index * 31 + term, length) };
}

function run(from: number, count: number, term: number, length = 16): Entry[] {
  return Array.from({ length: count }, (_, i) => entry(from + i, term, length));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function showHard(h: HardState): string {
  return `{term ${h.term}, votedFor ${h.votedFor}, commit ${h.commit}}`;
}

function showLog(entries: readonly Entry[]): string {
  if (entries.length === 0) return "[]";
  const first = entries[0] as Entry;
  const last = entries[entries.length - 1] as Entry;
  return `[${first.index}..${last.index}] (${entries.length} entries)`;
}

/** Checks that `actual` equals `expected`, field by field, byte for byte. */
function checkState(actual: StoredState, expected: StoredState, what: string): void {
  const h = actual.hardState;
  const e = expected.hardState;
  check(
    h.term === e.term && h.votedFor === e.votedFor && h.commit === e.commit,
    `${what}: hard state ${showHard(h)}, expected ${showHard(e)}`,
  );
  const s = actual.snapshot;
  const t = expected.snapshot;
  if (t === undefined) {
    check(s === undefined, `${what}: a snapshot at ${s?.meta.index} where none was stored`);
  } else {
    check(s !== undefined, `${what}: no snapshot, expected one at ${t.meta.index}`);
    check(
      s.meta.index === t.meta.index && s.meta.term === t.meta.term,
      `${what}: snapshot at ${s.meta.index} (term ${s.meta.term}), expected ${t.meta.index} (term ${t.meta.term})`,
    );
    check(
      sameBytes(s.data, t.data),
      `${what}: snapshot data differs (${s.data.length} bytes, expected ${t.data.length})`,
    );
  }
  check(
    actual.entries.length === expected.entries.length,
    `${what}: log ${showLog(actual.entries)}, expected ${showLog(expected.entries)}`,
  );
  expected.entries.forEach((want, i) => {
    const got = actual.entries[i] as Entry;
    check(
      got.index === want.index && got.term === want.term,
      `${what}: entry #${i} is index ${got.index} term ${got.term}, expected index ${want.index} term ${want.term}`,
    );
    check(
      sameBytes(got.command, want.command),
      `${what}: entry ${want.index}'s command differs (${got.command.length} bytes, expected ${want.command.length})`,
    );
  });
}

/** A storage plus the model of what it must hold, updated together. */
class Subject {
  storage: Storage;
  readonly model: MutableState = emptyState();

  constructor(
    readonly harness: StorageHarness,
    storage: Storage,
  ) {
    this.storage = storage;
  }

  async persist(update: StorageUpdate): Promise<void> {
    applyUpdate(this.model, update);
    await this.storage.persist(update);
  }

  /** Issues `persist` for every update without waiting, then waits for all of them. */
  async persistAll(updates: readonly StorageUpdate[]): Promise<void> {
    const pending: Promise<void>[] = [];
    for (const u of updates) {
      applyUpdate(this.model, u);
      const p = this.storage.persist(u);
      if (p !== undefined) pending.push(p);
    }
    await Promise.all(pending);
  }

  check(what: string): void {
    checkState(this.storage.initialState(), this.model, `${this.harness.name}: ${what}`);
  }

  async reopen(what: string): Promise<void> {
    this.storage = await this.harness.reopen(this.storage);
    this.check(`${what}, after a restart`);
  }
}

async function withSubject(
  harness: StorageHarness,
  body: (subject: Subject) => Promise<void>,
): Promise<void> {
  await body(new Subject(harness, await harness.open()));
}

/** A snapshot at `index` whose data is recognisable. */
function snapshotAt(index: number, term: number, length = 64): Snapshot {
  return { meta: { index, term }, data: pattern(index * 7 + 3, length) };
}

/** A seeded 32-bit generator (mulberry32), so the random case replays. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/**
 * The {@link Storage} contract, as executable checks. Framework-agnostic: run each case with any
 * test runner, e.g. `for (const c of storageComplianceCases) it(c.name, () => c.run(harness))`.
 * Every case checks `initialState()` against a model of the updates, and again after a restart.
 */
export const storageComplianceCases: readonly StorageComplianceCase[] = [
  {
    name: "a new storage is empty",
    run: (harness) =>
      withSubject(harness, async (s) => {
        s.check("new storage");
        check(s.storage.snapshotSize() === 0, `snapshotSize() is ${s.storage.snapshotSize()}`);
        await s.reopen("new storage");
      }),
  },
  {
    name: "the hard state round-trips, the latest one wins",
    run: (harness) =>
      withSubject(harness, async (s) => {
        await s.persist({ hardState: { term: 1, votedFor: 0, commit: 0 } });
        s.check("first hard state");
        await s.persist({ hardState: { term: 3, votedFor: null, commit: 0 } });
        await s.persist({ hardState: { term: 2 ** 40, votedFor: 6, commit: 0 } });
        s.check("third hard state");
        await s.reopen("hard state");
        await s.persist({ hardState: { term: 2 ** 40 + 1, votedFor: null, commit: 0 } });
        await s.reopen("hard state persisted after a restart");
      }),
  },
  {
    name: "entries append in order and keep their bytes (empty and 64 KiB commands too)",
    run: (harness) =>
      withSubject(harness, async (s) => {
        await s.persist({ entries: { from: 1, entries: run(1, 3, 1) } });
        await s.persist({ entries: { from: 4, entries: [entry(4, 1, 0), entry(5, 2, 65536)] } });
        await s.persist({ entries: { from: 6, entries: [] } });
        s.check("appends");
        await s.reopen("appends");
        await s.persist({ entries: { from: 6, entries: run(6, 2, 2) } });
        await s.reopen("appends after a restart");
      }),
  },
  {
    name: "entries.from truncates the log there before appending",
    run: (harness) =>
      withSubject(harness, async (s) => {
        await s.persist({ entries: { from: 1, entries: run(1, 10, 1) } });
        await s.persist({ entries: { from: 6, entries: run(6, 2, 2) } }); // replaces 6..10
        s.check("truncate in the middle");
        await s.persist({ entries: { from: 8, entries: run(8, 1, 2) } }); // at the end: append
        await s.persist({ entries: { from: 3, entries: [] } }); // truncate only
        s.check("truncate without new entries");
        await s.reopen("truncations");
        await s.persist({ entries: { from: 1, entries: run(1, 4, 3) } }); // the whole log
        await s.reopen("whole log replaced");
      }),
  },
  {
    name: "an update that truncates outside the log is refused and changes nothing",
    run: (harness) =>
      withSubject(harness, async (s) => {
        await s.persist({ entries: { from: 1, entries: run(1, 3, 1) } });
        let refused: unknown;
        try {
          await s.storage.persist({ entries: { from: 6, entries: run(6, 1, 1) } });
        } catch (error) {
          refused = error;
        }
        check(
          isLabError(refused, StorageCorruptError),
          `${harness.name}: a truncation at 6 of the log 1..3 was not refused with StorageCorruptError (got ${String(refused)})`,
        );
        s.check("after the refused update");
        await s.persist({ entries: { from: 4, entries: run(4, 1, 1) } });
        await s.reopen("after the refused update");
      }),
  },
  {
    name: "a snapshot drops the entries it covers and keeps the rest",
    run: (harness) =>
      withSubject(harness, async (s) => {
        await s.persist({ entries: { from: 1, entries: run(1, 10, 1) } });
        await s.persist({ snapshot: snapshotAt(4, 1) });
        s.check("snapshot at 4 of 1..10");
        check(s.model.entries[0]?.index === 5, "model: the log starts at 5");
        check(
          s.storage.snapshotSize() === 64,
          `snapshotSize() is ${s.storage.snapshotSize()}, expected 64`,
        );
        await s.reopen("snapshot at 4");
        await s.persist({ entries: { from: 11, entries: run(11, 2, 2) } });
        await s.persist({ entries: { from: 7, entries: run(7, 1, 3) } });
        await s.reopen("entries after the snapshot");
      }),
  },
  {
    name: "a snapshot past the last entry leaves an empty log that continues after it",
    run: (harness) =>
      withSubject(harness, async (s) => {
        await s.persist({ entries: { from: 1, entries: run(1, 3, 1) } });
        await s.persist({ snapshot: snapshotAt(20, 4) });
        s.check("snapshot at 20 of 1..3");
        await s.reopen("snapshot past the log");
        await s.persist({ entries: { from: 21, entries: run(21, 2, 4) } });
        await s.reopen("entries after it");
      }),
  },
  {
    name: "hard state, snapshot and entries in one update are applied in that order",
    run: (harness) =>
      withSubject(harness, async (s) => {
        await s.persist({ entries: { from: 1, entries: run(1, 5, 1) } });
        await s.persist({
          hardState: { term: 3, votedFor: 1, commit: 8 },
          snapshot: snapshotAt(8, 2, 1000),
          entries: { from: 9, entries: run(9, 3, 3) },
        });
        s.check("one update with all three parts");
        await s.reopen("one update with all three parts");
        await s.persist({
          hardState: { term: 4, votedFor: null, commit: 11 },
          snapshot: snapshotAt(10, 3, 0),
        });
        await s.reopen("a later, empty snapshot");
      }),
  },
  {
    name: "a later snapshot replaces the earlier one",
    run: (harness) =>
      withSubject(harness, async (s) => {
        for (let i = 0; i < 5; i++) {
          await s.persist({ entries: { from: i * 10 + 1, entries: run(i * 10 + 1, 10, i + 1) } });
          await s.persist({ snapshot: snapshotAt(i * 10 + 5, i + 1, 100 + i) });
        }
        s.check("five snapshots");
        check(
          s.storage.snapshotSize() === 104,
          `snapshotSize() is ${s.storage.snapshotSize()}, expected 104 (the last snapshot's)`,
        );
        await s.reopen("five snapshots");
      }),
  },
  {
    name: "persists issued without waiting are all durable, in call order",
    run: (harness) =>
      withSubject(harness, async (s) => {
        const updates: StorageUpdate[] = [];
        for (let i = 1; i <= 64; i++) {
          updates.push({
            hardState: { term: 1 + (i >> 4), votedFor: i % 3, commit: i - 1 },
            entries: { from: i, entries: [entry(i, 1 + (i >> 4), 100)] },
          });
          if (i % 20 === 0) updates.push({ entries: { from: i - 2, entries: run(i - 2, 3, 9) } });
          if (i === 50) updates.push({ snapshot: snapshotAt(30, 2) });
        }
        await s.persistAll(updates);
        s.check("64 concurrent persists");
        await s.reopen("64 concurrent persists");
      }),
  },
  {
    name: "restarting twice returns the same state",
    run: (harness) =>
      withSubject(harness, async (s) => {
        await s.persist({
          hardState: { term: 2, votedFor: 1, commit: 3 },
          entries: { from: 1, entries: run(1, 5, 2) },
        });
        await s.reopen("first restart");
        await s.reopen("second restart");
        await s.persist({ entries: { from: 6, entries: run(6, 1, 2) } });
        await s.reopen("third restart");
      }),
  },
  {
    name: "initialState() returns a copy the caller may change",
    run: (harness) =>
      withSubject(harness, async (s) => {
        await s.persist({ entries: { from: 1, entries: run(1, 3, 1) } });
        const state = s.storage.initialState();
        (state.entries as Entry[]).length = 0;
        s.check("after the caller emptied a returned log");
      }),
  },
  {
    name: "sizes: snapshotSize is the snapshot's bytes, raftStateSize follows the log",
    run: (harness) =>
      withSubject(harness, async (s) => {
        const empty = s.storage.raftStateSize();
        await s.persist({ entries: { from: 1, entries: run(1, 100, 1, 100) } });
        const full = s.storage.raftStateSize();
        check(
          full >= empty + 100 * 100,
          `${harness.name}: raftStateSize() is ${full} with 100 entries of 100 bytes (${empty} empty)`,
        );
        await s.persist({ snapshot: snapshotAt(95, 1, 5000) });
        const compacted = s.storage.raftStateSize();
        check(
          compacted < full - 90 * 100,
          `${harness.name}: raftStateSize() is ${compacted} after a snapshot dropped 95 of 100 entries (${full} before)`,
        );
        check(s.storage.snapshotSize() === 5000, `snapshotSize() is ${s.storage.snapshotSize()}`);
        await s.reopen("sizes");
        check(
          s.storage.raftStateSize() === compacted && s.storage.snapshotSize() === 5000,
          `${harness.name}: after a restart raftStateSize() is ${s.storage.raftStateSize()} (was ${compacted}), snapshotSize() ${s.storage.snapshotSize()} (was 5000)`,
        );
      }),
  },
  {
    name: "a seeded random mix of updates matches the model at every restart",
    run: (harness) =>
      withSubject(harness, async (s) => {
        const next = mulberry32(20240601);
        let term = 1;
        for (let step = 0; step < 300; step++) {
          const snapIndex = s.model.snapshot?.meta.index ?? 0;
          const last = snapIndex + s.model.entries.length;
          const roll = next() % 100;
          if (roll < 55) {
            const from = Math.max(snapIndex + 1, last + 1 - (next() % 3 === 0 ? next() % 4 : 0));
            const count = next() % 5;
            await s.persist({ entries: { from, entries: run(from, count, term, next() % 300) } });
          } else if (roll < 80) {
            term += next() % 2;
            await s.persist({
              hardState: { term, votedFor: next() % 2 ? null : next() % 5, commit: last },
            });
          } else if (roll < 88 && last > snapIndex) {
            const index = snapIndex + 1 + (next() % (last - snapIndex));
            await s.persist({ snapshot: snapshotAt(index, term, next() % 2000) });
          } else if (roll < 95) {
            await s.reopen(`step ${step}`);
          } else {
            s.check(`step ${step}`);
          }
        }
        await s.reopen("the end of the random mix");
      }),
  },
];
