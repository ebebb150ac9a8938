/**
 * One measurement of the raft suite on its own, for profiling:
 *   node --cpu-prof --import tsx src/raft/profile-main.ts [in-process|tcp|disk] [raft|baseline] [nodes] [bytes] [ms]
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
  const running = await (kind === "raft" ? setup.startRaft(context) : setup.startBaseline(context));
  const bytes = Number(bytesArg);
  const cpu = process.cpuUsage();
  const result = await closedLoop(running.target, commandPool(bytes), {
    window: bytes <= 128 ? 32_768 : 4096,
    warmupMs: 500,
    measureMs: Number(msArg),
  });
  const used = process.cpuUsage(cpu);
  // CPU time of this process per entry (warm-up included): steadier than entries/s on a busy machine.
  const perEntryUs = (used.user + used.system) / (result.entries * (1 + 500 / Number(msArg)));
  console.log(
    `${setup.name} ${kind} ${nodesArg} nodes ${bytes} B:`,
    result,
    `~${perEntryUs.toFixed(2)} µs CPU/entry`,
  );
  await running.close();
} finally {
  await group.dispose();
}
