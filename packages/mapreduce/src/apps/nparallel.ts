import { readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { sleepScaled } from "./timing.js";

/**
 * How many workers are in `phase` right now, the way the course's timing applications measure
 * it: announce this process with a marker file `mr-worker-<phase>-<pid>`, count the markers of
 * processes that are still alive, stay in the phase for a second (so overlapping workers see
 * each other), then withdraw the marker. Only meaningful when the workers share one machine.
 */
export async function nparallel(phase: string, workDir: string): Promise<number> {
  const prefix = `mr-worker-${phase}-`;
  const marker = join(workDir, `${prefix}${process.pid}`);
  await writeFile(marker, "x");
  let count = 0;
  for (const name of await readdir(workDir)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (Number.isInteger(pid) && isAlive(pid)) count++;
  }
  await sleepScaled(1000);
  await rm(marker, { force: true });
  return count;
}

/** Signal 0 tests for a process without touching it; EPERM means it exists but is not ours. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === "EPERM";
  }
}
