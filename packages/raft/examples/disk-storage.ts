import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DiskStorage } from "@lab/raft/disk";

const dir = mkdtempSync(join(tmpdir(), "raft-wal-"));
const bytes = (text: string) => new TextEncoder().encode(text);

// Open (creating the directory and its log) and persist.
const storage = await DiskStorage.open(dir);
await storage.persist({
  hardState: { term: 2, votedFor: 0, commit: 0 },
  entries: {
    from: 1,
    entries: ["x=1", "y=2", "x=3"].map((c, i) => ({ index: i + 1, term: 2, command: bytes(c) })),
  },
});
// Concurrent persists share one fsync (group commit); each resolves once it is on disk.
await Promise.all([
  storage.persist({
    entries: { from: 4, entries: [{ index: 4, term: 2, command: bytes("z=4") }] },
  }),
  storage.persist({ hardState: { term: 2, votedFor: 0, commit: 4 } }),
]);
// A snapshot covering 1..3: written atomically, and the log segments it covers are deleted.
await storage.persist({ snapshot: { meta: { index: 3, term: 2 }, data: bytes("x=3,y=2") } });
console.log("stats:", JSON.stringify(storage.stats()));
await storage.close();

// A restarted peer opens the same directory and reads its state back.
const again = await DiskStorage.open(dir);
const { hardState, snapshot, entries } = again.initialState();
console.log("hard state:", JSON.stringify(hardState));
console.log(`snapshot: index ${snapshot?.meta.index}, ${snapshot?.data.length} bytes`);
for (const e of entries) console.log(`entry ${e.index}: ${new TextDecoder().decode(e.command)}`);
await again.close();
rmSync(dir, { recursive: true });
