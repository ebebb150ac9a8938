import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Entry, HardState, Snapshot } from "../../src/core/types.js";
import { EncodedLog } from "../../src/storage/encoded-log.js";
import { Persister, saveOwned } from "../../src/storage/persister.js";
import { PersisterStorage } from "../../src/storage/persister-storage.js";
import {
  decodeRaftState,
  encodeRaftState,
  encodeStoredEntry,
} from "../../src/storage/raft-state-codec.js";
import type { StorageUpdate } from "../../src/storage/storage.js";

function bytes(...values: number[]): Uint8Array {
  return new Uint8Array(values);
}

/** Byte equality without vitest's element-by-element diffing (the logs here get large). */
function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
}

function command(index: number, size: number): Uint8Array {
  return Uint8Array.from({ length: size }, (_, i) => (index * 31 + i) & 255);
}

/** What the stored state should be: a plain model, encoded the straightforward way. */
interface Model {
  hardState: HardState;
  snapshot: Snapshot | undefined;
  entries: Entry[];
}

function newModel(): Model {
  return { hardState: { term: 0, votedFor: null, commit: 0 }, snapshot: undefined, entries: [] };
}

function applyToModel(model: Model, update: StorageUpdate): void {
  if (update.hardState) model.hardState = update.hardState;
  if (update.snapshot) {
    const { index } = update.snapshot.meta;
    model.snapshot = { meta: update.snapshot.meta, data: update.snapshot.data.slice() };
    model.entries = model.entries.filter((e) => e.index > index);
    if (model.entries.length > 0 && model.entries[0]!.index !== index + 1) model.entries = [];
  }
  if (update.entries) {
    const { from } = update.entries;
    model.entries = model.entries.filter((e) => e.index < from);
    model.entries.push(...update.entries.entries);
  }
}

function expectedRaftState(model: Model): Uint8Array {
  return encodeRaftState({
    hardState: model.hardState,
    snapshot: model.snapshot?.meta ?? { index: 0, term: 0 },
    entries: model.entries,
  });
}

function expectedSnapshot(model: Model): Uint8Array {
  return model.snapshot?.data.slice() ?? new Uint8Array(0);
}

/** One step a Raft peer could take, as drawn by fast-check; resolved against the model. */
type Op =
  | { kind: "append"; count: number; size: number }
  | { kind: "rewrite"; at: number; count: number; size: number }
  | { kind: "snapshot"; at: number }
  | { kind: "hardState" }
  | { kind: "copy" };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("append" as const),
      count: fc.integer({ min: 1, max: 40 }),
      size: fc.integer({ min: 0, max: 200 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("rewrite" as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      count: fc.integer({ min: 0, max: 10 }),
      size: fc.integer({ min: 0, max: 200 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("snapshot" as const),
      at: fc.double({ min: 0, max: 1.2, noNaN: true }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("hardState" as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("copy" as const) }) },
);

function toUpdate(model: Model, op: Exclude<Op, { kind: "copy" }>, step: number): StorageUpdate {
  const base = (model.snapshot?.meta.index ?? 0) + 1;
  const last = base + model.entries.length - 1;
  const term = model.hardState.term + 1;
  const hardState: HardState = { term, votedFor: step % 3, commit: Math.max(0, last) };
  const entries = (from: number, count: number, size: number) =>
    Array.from({ length: count }, (_, k) => ({
      index: from + k,
      term,
      command: command(from + k + step, size),
    }));
  switch (op.kind) {
    case "append":
      return {
        hardState,
        entries: { from: last + 1, entries: entries(last + 1, op.count, op.size) },
      };
    case "rewrite": {
      const from = base + Math.floor(op.at * (last - base + 1));
      return { hardState, entries: { from, entries: entries(from, op.count, op.size) } };
    }
    case "snapshot": {
      const index = Math.max(base - 1, base - 1 + Math.floor(op.at * (last - base + 2)));
      // Raft never snapshots at 0 (and a restart ignores a snapshot there).
      if (index === 0) return { hardState };
      return {
        hardState,
        snapshot: { meta: { index, term }, data: command(index, 1 + (index % 50)) },
      };
    }
    case "hardState":
      return { hardState };
  }
}

describe("Persister", () => {
  it("saves copies and reads copies", () => {
    const p = new Persister();
    const state = bytes(1, 2, 3);
    const snap = bytes(9, 8);
    p.save(state, snap);
    state[0] = 42;
    snap[0] = 42;
    const read = p.readRaftState();
    expect(read).toEqual(bytes(1, 2, 3));
    read[1] = 42;
    p.readSnapshot()[0] = 42;
    expect(p.readRaftState()).toEqual(bytes(1, 2, 3));
    expect(p.readSnapshot()).toEqual(bytes(9, 8));
    expect([p.raftStateSize(), p.snapshotSize()]).toEqual([3, 2]);
    p.save(bytes(5), null);
    expect(p.readSnapshot()).toEqual(new Uint8Array(0));
    expect(p.snapshotSize()).toBe(0);
  });

  it("copies are independent in both directions", () => {
    const p = new Persister();
    p.save(bytes(1), bytes(2));
    const c = p.copy();
    p.save(bytes(3), bytes(4));
    expect([c.readRaftState(), c.readSnapshot()]).toEqual([bytes(1), bytes(2)]);
    c.save(bytes(5, 5), null);
    expect([p.readRaftState(), p.readSnapshot()]).toEqual([bytes(3), bytes(4)]);
    expect([c.raftStateSize(), c.snapshotSize()]).toEqual([2, 0]);
  });

  it("builds deferred bytes only when read, once, even across copies", () => {
    const p = new Persister();
    let builds = 0;
    p[saveOwned](
      {
        length: 2,
        build: () => {
          builds++;
          return bytes(7, 7);
        },
      },
      null,
    );
    expect(p.raftStateSize()).toBe(2);
    const c = p.copy();
    expect(builds).toBe(0);
    expect(c.readRaftState()).toEqual(bytes(7, 7));
    expect(p.readRaftState()).toEqual(bytes(7, 7));
    expect(builds).toBe(1);
  });
});

describe("EncodedLog", () => {
  it("never changes a view it handed out, through appends, truncations and discards", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const log = new EncodedLog();
        let entries: Entry[] = [];
        let next = 1;
        const views: { view: Uint8Array; expected: Uint8Array }[] = [];
        const concat = (es: readonly Entry[]) => {
          const parts = es.map(encodeStoredEntry);
          const out = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
          let at = 0;
          for (const b of parts) {
            out.set(b, at);
            at += b.length;
          }
          return out;
        };
        for (const [step, op] of ops.entries()) {
          if (op.kind === "append" || op.kind === "rewrite") {
            const from =
              op.kind === "append" || entries.length === 0
                ? next
                : (entries[0] as Entry).index + Math.floor(op.at * entries.length);
            log.truncateFrom(from);
            entries = entries.filter((e) => e.index < from);
            const added = Array.from({ length: op.count }, (_, k) => ({
              index: from + k,
              term: step,
              command: command(from + k, op.size),
            }));
            log.append(added);
            entries.push(...added);
            next = from + op.count;
          } else if (op.kind === "snapshot") {
            const first = entries[0]?.index ?? next;
            const index = first + Math.floor(op.at * (entries.length + 1));
            if (index >= next) {
              log.clear();
              entries = [];
            } else {
              log.discardBefore(index);
              entries = entries.filter((e) => e.index >= index);
            }
          } else {
            // Only here: taking a view marks the bytes shared, which changes what follows.
            const view = log.view();
            expect(same(view, concat(entries)), `step ${step}`).toBe(true);
            views.push({ view, expected: view.slice() });
          }
          expect(log.length).toBe(entries.length);
          expect(log.firstIndex).toBe(entries[0]?.index);
          expect(log.byteLength).toBe(concat(entries).length);
        }
        expect(same(log.view(), concat(entries))).toBe(true);
        for (const { view, expected } of views) expect(same(view, expected)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe("PersisterStorage on a Persister", () => {
  it("saves the straightforward encoding; copies keep theirs, unread, through any later saves", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80 }), (ops) => {
        let persister = new Persister();
        let storage = new PersisterStorage(persister);
        const model = newModel();
        // A peer saves its state before anything else (an empty Persister holds no bytes at all).
        const first: StorageUpdate = { hardState: { term: 0, votedFor: null, commit: 0 } };
        applyToModel(model, first);
        storage.persist(first);
        // Copies taken along the way, read only at the end (their bytes stay deferred).
        const copies: { copy: Persister; raft: Uint8Array; snap: Uint8Array }[] = [];
        for (const [step, op] of ops.entries()) {
          if (op.kind === "copy") {
            copies.push({
              copy: persister.copy(),
              raft: expectedRaftState(model),
              snap: expectedSnapshot(model),
            });
            if (step % 2 === 0) {
              // A restart: carry on from a copy, as the course's harness does.
              persister = persister.copy();
              storage = new PersisterStorage(persister);
            }
            continue;
          }
          const update = toUpdate(model, op, step);
          applyToModel(model, update);
          storage.persist(update);
          expect(persister.raftStateSize()).toBe(expectedRaftState(model).length);
          expect(persister.snapshotSize()).toBe(expectedSnapshot(model).length);
          if (step % 5 === 0) {
            expect(same(persister.readRaftState(), expectedRaftState(model))).toBe(true);
            expect(persister.readSnapshot()).toEqual(expectedSnapshot(model));
          }
        }
        expect(same(persister.readRaftState(), expectedRaftState(model))).toBe(true);
        expect(decodeRaftState(persister.readRaftState()).entries).toEqual(model.entries);
        for (const { copy, raft, snap } of copies) {
          expect(copy.raftStateSize()).toBe(raft.length);
          expect(same(copy.readRaftState(), raft)).toBe(true);
          expect(copy.readSnapshot()).toEqual(snap);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("keeps a copy and its original apart, both ways, over many saves", () => {
    const original = new Persister();
    const storage = new PersisterStorage(original);
    const model = newModel();
    const persist = (s: PersisterStorage, m: Model, update: StorageUpdate) => {
      applyToModel(m, update);
      s.persist(update);
    };
    const append = (m: Model, term: number, n: number): StorageUpdate => {
      const from = (m.snapshot?.meta.index ?? 0) + m.entries.length + 1;
      return {
        hardState: { term, votedFor: 1, commit: from - 1 },
        entries: { from, entries: [{ index: from, term, command: command(from, n) }] },
      };
    };
    for (let i = 0; i < 500; i++) persist(storage, model, append(model, 1, 100));
    const copy = original.copy();
    const atCopy = expectedRaftState(model);
    const copyModel: Model = { ...model, entries: [...model.entries] };

    // The original goes on: appends, a rewrite of its tail, a snapshot; the copy must not see it.
    for (let i = 0; i < 300; i++) persist(storage, model, append(model, 2, 50));
    persist(storage, model, {
      hardState: { term: 3, votedFor: 2, commit: 400 },
      entries: { from: 450, entries: [{ index: 450, term: 3, command: bytes(1) }] },
    });
    persist(storage, model, {
      snapshot: { meta: { index: 300, term: 1 }, data: bytes(3, 0, 0) },
    });
    for (let i = 0; i < 300; i++) persist(storage, model, append(model, 3, 80));
    expect(copy.readRaftState()).toEqual(atCopy);
    expect(copy.readSnapshot()).toEqual(new Uint8Array(0));

    // A peer restarted on the copy saves its own history; the original must not see it.
    const atOriginal = original.readRaftState();
    const restarted = new PersisterStorage(copy);
    persist(restarted, copyModel, {
      hardState: { term: 4, votedFor: 0, commit: 100 },
      entries: { from: 200, entries: [{ index: 200, term: 4, command: bytes(4) }] },
    });
    for (let i = 0; i < 200; i++) persist(restarted, copyModel, append(copyModel, 4, 30));
    persist(restarted, copyModel, {
      snapshot: { meta: { index: 150, term: 1 }, data: bytes(9, 9) },
    });
    expect(original.readRaftState()).toEqual(atOriginal);
    expect(original.readRaftState()).toEqual(expectedRaftState(model));
    expect(original.readSnapshot()).toEqual(bytes(3, 0, 0));
    expect(copy.readRaftState()).toEqual(expectedRaftState(copyModel));
    expect(copy.readSnapshot()).toEqual(bytes(9, 9));
  });

  it("returns copies, and keeps the snapshot as it was handed over", () => {
    const persister = new Persister();
    const storage = new PersisterStorage(persister);
    const data = bytes(1, 2, 3);
    storage.persist({
      hardState: { term: 1, votedFor: null, commit: 0 },
      entries: { from: 1, entries: [{ index: 1, term: 1, command: bytes(5) }] },
    });
    storage.persist({ snapshot: { meta: { index: 1, term: 1 }, data } });
    data[0] = 42; // the caller reuses its array: what was saved must not change
    storage.persist({ hardState: { term: 2, votedFor: null, commit: 1 } });
    const state = persister.readRaftState();
    const saved = state.slice();
    state.fill(0);
    persister.readSnapshot().fill(0);
    expect(persister.readRaftState()).toEqual(saved);
    expect(persister.readSnapshot()).toEqual(bytes(1, 2, 3));

    // A storage restarted from it hands out a snapshot the persister does not share.
    const restarted = new PersisterStorage(persister);
    restarted.initialState().snapshot?.data.fill(7);
    restarted.persist({ hardState: { term: 3, votedFor: null, commit: 1 } });
    expect(persister.readSnapshot()).toEqual(bytes(1, 2, 3));
  });
});
