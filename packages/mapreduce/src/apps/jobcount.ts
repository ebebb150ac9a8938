/**
 * Counts map executions (the course's `jobcount`): each map leaves a marker file, and the reduce
 * counts the markers. With 8 inputs the output must be `a 8`: a map that ran twice (handed out
 * again although its worker was still on time) shows up as 9 or more.
 * @module
 */
import { randomInt } from "node:crypto";
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { KeyValue, TaskContext } from "../app.js";
import { sleepScaled } from "./timing.js";

const MARKER_PREFIX = "mr-worker-jobcount-";
/** Maps run by this process so far: with the pid, it makes every marker name unique. */
let runs = 0;

/** Leaves a marker, takes 2 to 5 s (scaled), and emits `("a", "x")`. */
export async function map(
  _filename: string,
  _contents: string,
  context: TaskContext,
): Promise<KeyValue[]> {
  const marker = join(context.workDir, `${MARKER_PREFIX}${process.pid}-${runs++}`);
  await writeFile(marker, "x", { flag: "wx" });
  await sleepScaled(2000 + randomInt(3000));
  return [{ key: "a", value: "x" }];
}

/** The number of map executions, counted from the markers. */
export async function reduce(
  _key: string,
  _values: readonly string[],
  context: TaskContext,
): Promise<string> {
  const names = await readdir(context.workDir);
  return String(names.filter((name) => name.startsWith(MARKER_PREFIX)).length);
}
