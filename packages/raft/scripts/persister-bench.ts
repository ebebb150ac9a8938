// Cost of a save through PersisterStorage on the course's Persister as the log grows: N
// single-entry appends of 100-byte entries, each persisted with a new hard state (as a leader
// appending one command at a time does). Reports total ms and µs per persist, plus the cost of
// reading the state back once at the end.
//
//   node --import tsx --conditions=@lab/source scripts/persister-bench.ts
//   N=20000 ENTRY_BYTES=100 (defaults)
import { Persister } from "../src/storage/persister.js";
import { PersisterStorage } from "../src/storage/persister-storage.js";
import { decodeRaftState } from "../src/storage/raft-state-codec.js";

const N = Number(process.env.N ?? 20000);
const ENTRY_BYTES = Number(process.env.ENTRY_BYTES ?? 100);

function run(): { persistMs: number; readMs: number; size: number } {
  const persister = new Persister();
  const storage = new PersisterStorage(persister);
  const command = new Uint8Array(ENTRY_BYTES).fill(7);
  const t0 = performance.now();
  for (let i = 1; i <= N; i++) {
    storage.persist({
      hardState: { term: 1, votedFor: 0, commit: i - 1 },
      entries: { from: i, entries: [{ index: i, term: 1, command }] },
    });
  }
  const persistMs = performance.now() - t0;
  const t1 = performance.now();
  const state = decodeRaftState(persister.readRaftState());
  const readMs = performance.now() - t1;
  if (state.entries.length !== N) throw new Error(`read back ${state.entries.length} entries`);
  return { persistMs, readMs, size: persister.raftStateSize() };
}

run(); // warm-up
const r = run();
console.log(
  `${N} persists of ${ENTRY_BYTES}-byte entries: ${r.persistMs.toFixed(1)} ms, ` +
    `${((r.persistMs * 1000) / N).toFixed(2)} µs/persist; final state ${r.size} bytes, ` +
    `read+decode ${r.readMs.toFixed(1)} ms`,
);
