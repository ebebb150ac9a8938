import { SeededRandom } from "@lab/labrpc";

/**
 * The kvraft suite's load: closed-loop clerks (each runs one operation at a time, the next as
 * soon as the last returns) over a fixed key space, with 64-byte keys and values.
 */

/** What the load needs of a clerk: `KvRaftClerk` has exactly this. */
export interface LoadClerk {
  get(key: string): Promise<string>;
  put(key: string, value: string): Promise<void>;
}

/** A mix of operations: the fraction of them that are Gets; the rest are Puts. */
export interface Mix {
  readonly name: string;
  readonly readFraction: number;
}

export const MIXES: readonly Mix[] = [
  { name: "90% reads", readFraction: 0.9 },
  { name: "100% writes", readFraction: 0 },
];

export const KEY_COUNT = 1000;
export const KEY_BYTES = 64;
export const VALUE_BYTES = 64;

/** Key `i` of the key space: 64 ASCII bytes. */
export function keyAt(i: number): string {
  return `key-${String(i).padStart(6, "0")}-`.padEnd(KEY_BYTES, "k");
}

/** A 64-byte value that names who wrote it (so no two writes put the same bytes). */
export function valueFor(writer: number, n: number): string {
  return `value-${writer}-${n}-`.padEnd(VALUE_BYTES, "v");
}

/** Puts every key once, with `parallel` clerks at a time, so Gets find values. */
export async function preload(clerks: readonly LoadClerk[]): Promise<void> {
  let next = 0;
  await Promise.all(
    clerks.map(async (clerk, c) => {
      for (let i = next++; i < KEY_COUNT; i = next++) await clerk.put(keyAt(i), valueFor(c, i));
    }),
  );
}

/** What one closed-loop run measured. */
export interface LoadResult {
  /** Operations completed inside the measurement window, per second of it. */
  readonly opsPerSecond: number;
  /** Median and 99th percentile latency of those operations, in ms. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly operations: number;
}

/**
 * Runs `clerks` in a closed loop for `warmupMs` (not counted: leaders found, JIT warm) and then
 * `measureMs`, and measures the operations that completed in the second period. Each clerk draws
 * its operations and keys from its own seeded stream, so a run is the same sequence of requests
 * every time (their timing is the machine's).
 */
export async function closedLoop(
  clerks: readonly LoadClerk[],
  mix: Mix,
  options: { readonly warmupMs: number; readonly measureMs: number; readonly seed: number },
): Promise<LoadResult> {
  const latencies: number[] = [];
  const started = performance.now();
  const from = started + options.warmupMs;
  const until = from + options.measureMs;
  const readPermille = Math.round(mix.readFraction * 1000);
  await Promise.all(
    clerks.map(async (clerk, c) => {
      const random = new SeededRandom(options.seed * 100_003 + c);
      for (let n = 0; ; n++) {
        const begin = performance.now();
        if (begin >= until) return;
        const key = keyAt(random.int(KEY_COUNT));
        if (random.int(1000) < readPermille) await clerk.get(key);
        else await clerk.put(key, valueFor(c, n));
        const end = performance.now();
        if (begin >= from && end <= until) latencies.push(end - begin);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    opsPerSecond: latencies.length / (options.measureMs / 1000),
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    operations: latencies.length,
  };
}

/** The `q` quantile of sorted `values` (nearest rank); NaN when empty. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}
