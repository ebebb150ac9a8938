// Persist throughput of DiskStorage: entries per second with 1, 16 and 256 concurrent persists
// of 128-byte entries, fsync on, for each I/O mode; optionally the same workload on lmdb.
//
//   pnpm --filter @lab/raft bench:disk
//   LMDB_MODULE=/path/to/node_modules/lmdb/dist/index.cjs ... (compare against lmdb-js)
//   BENCH_MS=2000 (time per configuration)
//
// lmdb is not a dependency of this package: install it anywhere (`npm i lmdb` in a scratch
// directory) and point LMDB_MODULE at it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DiskStorage, type DiskStorageOptions } from "../src/disk/index.js";

const BENCH_MS = Number(process.env.BENCH_MS ?? 2000);
const ENTRY_BYTES = 128;
const CONCURRENCY = [1, 16, 256];

interface Result {
  readonly name: string;
  readonly concurrency: number;
  readonly entries: number;
  readonly seconds: number;
  readonly syncs: number | undefined;
  readonly p50: number;
  readonly p99: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

/** Runs `concurrency` loops of `op` for BENCH_MS; returns entries done and latencies. */
async function drive(concurrency: number, op: () => Promise<void>) {
  const latencies: number[] = [];
  const start = performance.now();
  const deadline = start + BENCH_MS;
  const loop = async () => {
    while (performance.now() < deadline) {
      const t = performance.now();
      await op();
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    entries: latencies.length,
    seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

async function benchDisk(
  name: string,
  options: DiskStorageOptions,
  concurrency: number,
): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), "raft-disk-bench-"));
  try {
    const storage = await DiskStorage.open(dir, options);
    const command = new Uint8Array(ENTRY_BYTES).fill(7);
    let last = 0;
    const run = await drive(concurrency, () => {
      const index = ++last;
      return storage.persist({ entries: { from: index, entries: [{ index, term: 1, command }] } });
    });
    const syncs = storage.stats().commits;
    await storage.close();
    return { name, concurrency, ...run, syncs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface LmdbDb {
  put(key: number, value: Uint8Array): Promise<boolean>;
  close(): Promise<void>;
}

async function benchLmdb(module: string, concurrency: number): Promise<Result> {
  const lmdb = (await import(module)) as {
    open(options: Record<string, unknown>): LmdbDb;
  };
  const dir = mkdtempSync(join(tmpdir(), "raft-lmdb-bench-"));
  try {
    // Durable commits (no noSync), no compression, uint32 keys, raw binary values.
    const db = lmdb.open({
      path: dir,
      compression: false,
      keyEncoding: "uint32",
      encoding: "binary",
    });
    const value = new Uint8Array(ENTRY_BYTES).fill(7);
    let last = 0;
    const run = await drive(concurrency, async () => {
      await db.put(++last, value);
    });
    await db.close();
    return { name: "lmdb-js put (sync commit)", concurrency, ...run, syncs: undefined };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const results: Result[] = [];
const configs: [string, DiskStorageOptions][] = [
  ["DiskStorage io=async fsync", { io: "async" }],
  ["DiskStorage io=sync fsync", { io: "sync" }],
  ["DiskStorage io=async no fsync", { io: "async", fsync: false }],
];
for (const [name, options] of configs) {
  for (const c of CONCURRENCY) {
    results.push(await benchDisk(name, options, c));
    console.error(`done: ${name} x${c}`);
  }
}
const lmdbModule = process.env.LMDB_MODULE;
if (lmdbModule !== undefined) {
  for (const c of CONCURRENCY) {
    results.push(await benchLmdb(lmdbModule, c));
    console.error(`done: lmdb x${c}`);
  }
}

const rows = results.map((r) => [
  r.name,
  String(r.concurrency),
  Math.round(r.entries / r.seconds).toLocaleString("en-US"),
  r.syncs === undefined ? "-" : (r.entries / r.syncs).toFixed(1),
  r.p50.toFixed(2),
  r.p99.toFixed(2),
]);
const head = ["storage", "concurrent", "entries/s", "entries/fsync", "p50 ms", "p99 ms"];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
const line = (cells: string[]) =>
  `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join(" | ")} |`;
console.log(line(head));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const r of rows) console.log(line(r));
console.log(`\n${ENTRY_BYTES}-byte entries, ${BENCH_MS} ms per row, node ${process.version}`);
