import { statfsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleServer, ProcessGroup } from "../kvraft/server-processes.js";
import { SETUPS } from "../kvraft/setups.js";
import {
  closedLoop,
  KEY_BYTES,
  KEY_COUNT,
  type LoadResult,
  MIXES,
  type Mix,
  preload,
  VALUE_BYTES,
} from "../kvraft/workload.js";
import { type BenchRow, type BenchSuite, row } from "../suite.js";

/**
 * A 3-server kvraft cluster under closed-loop load: operations per second and latency p50/p99
 * with 1, 16 and 256 clerks (each one operation at a time), for 90 % Gets / 10 % Puts and for
 * 100 % Puts, 64-byte keys and values over 1000 keys, in three setups: in this process
 * (LocalTransport, MemoryStorage), three server processes over TCP on loopback with
 * MemoryStorage, and the same with DiskStorage and fsync. The clerks run in this process.
 *
 * Baseline of every figure, measured in the same run right after it with the same request
 * sequence: a plain Map behind the same `KVServer` service, on the same transport (a server
 * process of its own over TCP, even for the durable setup: it is the limit of the machine).
 */

const CONCURRENCY = [1, 16, 256] as const;
/** Clerks that write the key space before a setup's first measurement. */
const PRELOAD_CLERKS = 64;
/** statfs type of tmpfs, where fsync costs nothing. */
const TMPFS_MAGIC = 0x01021994;

interface Timing {
  /** Closed-loop load run once per setup before its first measurement, not counted. */
  readonly setupWarmupMs: number;
  /** Each measurement's own warm-up (leaders found by the clerks it adds), not counted. */
  readonly warmupMs: number;
  readonly measureMs: number;
}

function rowsOf(
  label: string,
  baselineName: string,
  value: LoadResult,
  baseline: LoadResult,
): BenchRow[] {
  const common = { suite: "kvraft", case: label, baselineName } as const;
  return [
    row({
      ...common,
      metric: "throughput",
      value: value.opsPerSecond,
      unit: "ops/s",
      baseline: baseline.opsPerSecond,
    }),
    row({
      ...common,
      metric: "latency p50",
      value: value.p50Ms,
      unit: "ms",
      baseline: baseline.p50Ms,
    }),
    row({
      ...common,
      metric: "latency p99",
      value: value.p99Ms,
      unit: "ms",
      baseline: baseline.p99Ms,
    }),
  ];
}

const suite: BenchSuite = {
  name: "kvraft",
  description:
    "a 3-server kvraft cluster (in-process, TCP processes, TCP + disk fsync): ops/s and latency p50/p99 with 1/16/256 closed-loop clerks, beside a plain Map on the same transport",
  async run(ctx): Promise<BenchRow[]> {
    const timing: Timing = ctx.quick
      ? { setupWarmupMs: 500, warmupMs: 200, measureMs: 600 }
      : { setupWarmupMs: 3000, warmupMs: 1000, measureMs: 4000 };
    const group = new ProcessGroup();
    const rows: BenchRow[] = [];
    try {
      const scratch = group.track(await mkdtemp(join(tmpdir(), "bench-kvraft-")));
      if (statfsSync(scratch).type === TMPFS_MAGIC) {
        ctx.log(`warning: ${scratch} is on tmpfs, where fsync is free: the disk rows say little`);
      }
      const serverFile = await bundleServer(join(scratch, "bundle"));
      const clerks = Math.max(...CONCURRENCY);
      let seed = 1;
      for (const setup of SETUPS) {
        ctx.log(`${setup.name}: starting the cluster and the baseline`);
        const { kvraft, baseline } = await setup.start({ clerks, group, serverFile, scratch });
        try {
          await preload(kvraft.clerks.slice(0, PRELOAD_CLERKS));
          await preload(baseline.clerks.slice(0, PRELOAD_CLERKS));
          // JIT and connections warm, every clerk of the pool knowing the leader.
          for (const target of [kvraft, baseline]) {
            await closedLoop(target.clerks, MIXES[0] as Mix, {
              warmupMs: 0,
              measureMs: timing.setupWarmupMs,
              seed: 0,
            });
          }
          for (const mix of MIXES) {
            for (const n of CONCURRENCY) {
              const options = {
                warmupMs: timing.warmupMs,
                measureMs: timing.measureMs,
                seed: seed++,
              };
              const value = await closedLoop(kvraft.clerks.slice(0, n), mix, options);
              const base = await closedLoop(baseline.clerks.slice(0, n), mix, options);
              const label = `${setup.name}, ${n} clerk${n === 1 ? "" : "s"}, ${mix.name}`;
              ctx.log(
                `${label}: ${value.opsPerSecond.toFixed(0)} ops/s p50 ${value.p50Ms.toFixed(2)} p99 ${value.p99Ms.toFixed(2)} ms; ` +
                  `baseline ${base.opsPerSecond.toFixed(0)} ops/s p50 ${base.p50Ms.toFixed(2)} p99 ${base.p99Ms.toFixed(2)} ms`,
              );
              rows.push(...rowsOf(label, setup.baselineName, value, base));
            }
          }
        } finally {
          await kvraft.close();
          await baseline.close();
        }
      }
      ctx.log(`keys ${KEY_COUNT} x ${KEY_BYTES} B, values ${VALUE_BYTES} B`);
    } finally {
      await group.dispose();
    }
    return rows;
  },
};

export default suite;
