/**
 * One measurement of the raft suite on its own, for profiling:
 *   node --cpu-prof --import tsx src/raft/profile-main.ts [in-process|tcp|disk] [raft|baseline] [nodes] [bytes] [ms]
 * Prints the throughput, the CPU per committed entry of this process and of the whole machine
 * (Linux), and for `disk` the DiskStorage counters per entry of the leader and every follower.
 */

import { readFileSync } from "node:fs";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import type { DiskStorageStats } from "@lab/raft/disk";
import { bundleServer, ProcessGroup } from "../kvraft/server-processes.js";
import { SETUPS } from "./setups.js";
import { closedLoop, commandPool } from "./workload.js";

const [which = "in-process", kind = "raft", nodesArg = "3", bytesArg = "128", msArg = "3000"] =
  process.argv.slice(2);
const setup = SETUPS[{ "in-process": 0, tcp: 1, disk: 2 }[which] ?? 0];
if (setup === undefined) throw new Error(`unknown setup ${which}`);
const group = new ProcessGroup();
try {
  const scratch = group.track(await mkdtemp(join(tmpdir(), "bench-raft-profile-")));
  const peerFile = await bundleServer(
    join(scratch, "bundle"),
    new URL("./peer-main.ts", import.meta.url),
  );
  const context = {
    nodes: Number(nodesArg),
    group,
    peerFile,
    scratch,
    onFatal: (error: unknown) => console.error("fatal", error),
  };
  process.env.BENCH_STORAGE_STATS = "1";
  const running = await (kind === "raft" ? setup.startRaft(context) : setup.startBaseline(context));
  const bytes = Number(bytesArg);
  const cpu = process.cpuUsage();
  const machine = machineCpuMs();
  const result = await closedLoop(running.target, commandPool(bytes), {
    window: bytes <= 128 ? 32_768 : 4096,
    warmupMs: 500,
    measureMs: Number(msArg),
  });
  const used = process.cpuUsage(cpu);
  const machineUsed = machineCpuMs();
  // CPU time of this process per entry (warm-up included): steadier than entries/s on a busy machine.
  const perEntryUs = (used.user + used.system) / (result.entries * (1 + 500 / Number(msArg)));
  // Every process and the kernel (the followers, writeback): what bounds a saturated machine.
  const machineBusy = machineUsed.busy - machine.busy;
  const machineShare = machineBusy / (machineBusy + machineUsed.idle - machine.idle);
  const machinePerEntryUs = (machineBusy * 1000) / (result.entries * (1 + 500 / Number(msArg)));
  console.log(
    `${setup.name} ${kind} ${nodesArg} nodes ${bytes} B:`,
    result,
    `~${perEntryUs.toFixed(2)} µs CPU/entry here,`,
    `~${machinePerEntryUs.toFixed(2)} µs CPU/entry machine-wide (${(100 * machineShare).toFixed(0)} % of ${availableParallelism()} cores busy)`,
  );
  // Storage work per entry, warm-up included (every entry proposed was committed by now).
  const total = result.entries * (1 + 500 / Number(msArg));
  const perEntry = (label: string, stats: DiskStorageStats) =>
    console.log(
      `${label}: ${(total / stats.commits).toFixed(1)} entries/fsync, ${(stats.records / stats.commits).toFixed(2)} records/fsync, ${(stats.bytesWritten / total).toFixed(1)} B/entry`,
      stats,
    );
  if (running.leaderStats !== undefined) perEntry("leader", running.leaderStats());
  for (const name of (await readdir(scratch)).filter((f) => f.endsWith(".stats.json")).sort()) {
    perEntry(name, JSON.parse(await readFile(join(scratch, name), "utf8")) as DiskStorageStats);
  }
  await running.close();
} finally {
  await group.dispose();
}

/** Busy and idle CPU time of the whole machine so far, in ms (Linux `/proc/stat`, 100 Hz ticks). */
function machineCpuMs(): { busy: number; idle: number } {
  const fields = (readFileSync("/proc/stat", "utf8").split("\n")[0] as string)
    .trim()
    .split(/\s+/)
    .slice(1, 9)
    .map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
    fields;
  return { busy: (user + nice + system + irq + softirq + steal) * 10, idle: (idle + iowait) * 10 };
}
