import { SeededRandom } from "@lab/labrpc";
import { describe, expect, it } from "vitest";
import type { Entry } from "../../src/core/types.js";
import { MemoryStorage } from "../../src/storage/memory-storage.js";
import { encodeRaftState } from "../../src/storage/raft-state-codec.js";
import type { StorageUpdate } from "../../src/storage/storage.js";

/** What raftStateSize() must equal: the encoding of the whole written state. */
function encodedSize(storage: MemoryStorage): number {
  const { hardState, snapshot, entries } = storage.initialState();
  return encodeRaftState({
    hardState,
    snapshot: snapshot?.meta ?? { index: 0, term: 0 },
    entries,
  }).length;
}

describe("MemoryStorage.raftStateSize", () => {
  it("equals the encoded state's length through appends, truncations, snapshots and hard states", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const random = new SeededRandom(seed);
      const storage = new MemoryStorage();
      let term = 1;
      let snapshotIndex = 0;
      let last = 0;
      for (let step = 0; step < 300; step++) {
        const draw = random.int(10);
        let update: StorageUpdate;
        if (draw < 6) {
          // Append, sometimes over a truncated suffix; commands of 0..300 bytes, terms growing.
          const from =
            draw < 2 && last > snapshotIndex
              ? snapshotIndex + 1 + random.int(last - snapshotIndex)
              : last + 1;
          if (random.int(4) === 0) term += 1 + random.int(200);
          const entries: Entry[] = Array.from({ length: 1 + random.int(5) }, (_, i) => ({
            term,
            index: from + i,
            command: new Uint8Array(random.int(300)).fill(7),
          }));
          update = { entries: { from, entries } };
          last = from + entries.length - 1;
        } else if (draw < 8) {
          update = {
            hardState: {
              term: term + random.int(1000),
              votedFor: random.int(2) === 0 ? null : random.int(5),
              commit: random.int(last + 1),
            },
          };
        } else if (last > snapshotIndex) {
          snapshotIndex += 1 + random.int(last - snapshotIndex);
          update = { snapshot: { meta: { index: snapshotIndex, term }, data: new Uint8Array(10) } };
        } else {
          continue;
        }
        void storage.persist(update);
        expect(storage.raftStateSize(), `seed ${seed}, step ${step}`).toBe(encodedSize(storage));
      }
    }
  });

  it("a restored storage and an update that does not fit keep the count", () => {
    const storage = new MemoryStorage();
    const entries = [1, 2, 3].map((index) => ({ term: 1, index, command: new Uint8Array(50) }));
    void storage.persist({ entries: { from: 1, entries } });
    const restored = new MemoryStorage(storage.initialState());
    expect(restored.raftStateSize()).toBe(encodedSize(storage));
    const size = storage.raftStateSize();
    expect(() => storage.persist({ entries: { from: 9, entries: [] } })).toThrow(/truncates at 9/);
    expect(storage.raftStateSize()).toBe(size);
    expect(storage.crash().raftStateSize()).toBe(size);
  });
});
