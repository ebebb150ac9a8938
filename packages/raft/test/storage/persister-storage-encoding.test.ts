import { SeededRandom } from "@lab/labrpc";
import { describe, expect, it } from "vitest";
import type { Entry, HardState, Snapshot } from "../../src/core/types.js";
import { Persister } from "../../src/storage/persister.js";
import { PersisterStorage } from "../../src/storage/persister-storage.js";
import { decodeRaftState, encodeRaftState } from "../../src/storage/raft-state-codec.js";
import type { StorageUpdate } from "../../src/storage/storage.js";

/** A model of the stored log: what the full encoder would be given. */
interface Model {
  hardState: HardState;
  snapshot: Snapshot | undefined;
  entries: Entry[];
}

function entry(index: number, term: number, random: SeededRandom): Entry {
  const command = new Uint8Array(random.int(40));
  for (let i = 0; i < command.length; i++) command[i] = random.int(256);
  return { index, term, command };
}

/** A random update that a Raft peer could make: appends, conflicting rewrites, snapshots. */
function randomUpdate(model: Model, random: SeededRandom): StorageUpdate {
  const base = (model.snapshot?.meta.index ?? 0) + 1;
  const last = base + model.entries.length - 1;
  const term = model.hardState.term + (random.chance(1, 10) ? 1 : 0);
  const hardState: HardState = { term, votedFor: random.int(3), commit: random.int(last + 1) };
  const kind = random.int(4);
  if (kind === 0 && last >= base) {
    // Snapshot somewhere in the log (sometimes past it, which clears the log).
    const index = base + random.int(model.entries.length + 2);
    return { hardState, snapshot: { meta: { index, term }, data: new Uint8Array([index & 255]) } };
  }
  if (kind === 1) return { hardState };
  // Append, possibly overwriting a suffix.
  const from = kind === 2 && last >= base ? base + random.int(last - base + 1) : last + 1;
  const count = random.int(6);
  const entries = Array.from({ length: count }, (_, k) => entry(from + k, term, random));
  return { hardState, entries: { from, entries } };
}

function applyToModel(model: Model, update: StorageUpdate): void {
  if (update.hardState) model.hardState = update.hardState;
  if (update.snapshot) {
    const { index } = update.snapshot.meta;
    model.snapshot = update.snapshot;
    model.entries = model.entries.filter((e) => e.index > index);
    if (model.entries.length > 0 && model.entries[0]!.index !== index + 1) model.entries = [];
  }
  if (update.entries) {
    model.entries = model.entries.filter((e) => e.index < update.entries!.from);
    model.entries.push(...update.entries.entries);
  }
}

describe("PersisterStorage encoding", () => {
  it("saves exactly the bytes of a full encoding after every update, and restarts from them", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = new SeededRandom(seed);
      let persister = new Persister();
      let storage = new PersisterStorage(persister);
      const model: Model = {
        hardState: { term: 1, votedFor: null, commit: 0 },
        snapshot: undefined,
        entries: [],
      };
      for (let step = 0; step < 300; step++) {
        const update = randomUpdate(model, random);
        applyToModel(model, update);
        storage.persist(update);
        const expected = encodeRaftState({
          hardState: model.hardState,
          snapshot: model.snapshot?.meta ?? { index: 0, term: 0 },
          entries: model.entries,
        });
        expect(persister.readRaftState(), `seed ${seed} step ${step}`).toEqual(expected);
        expect(decodeRaftState(persister.readRaftState()).entries).toEqual(model.entries);
        if (random.chance(1, 20)) {
          // A restart: the new storage must pick up the encoded log where the old one was.
          persister = persister.copy();
          storage = new PersisterStorage(persister);
        }
      }
    }
  });
});
