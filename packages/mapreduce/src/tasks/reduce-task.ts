import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { MapReduceApp } from "../app.js";
import { IntermediateFileError } from "../errors.js";
import { writeFileAtomic } from "../files/atomic-write.js";
import { decodeIntermediate } from "../files/intermediate.js";
import { intermediateName, outputName } from "../files/naming.js";
import { Groups } from "./groups.js";

/** What a worker needs to run one reduce task. */
export interface ReduceTaskSpec {
  readonly taskId: number;
  /** Number of map tasks: the reduce reads `mr-0-Y` .. `mr-(nMap-1)-Y`. */
  readonly nMap: number;
  readonly workDir: string;
}

/**
 * Reads every map task's intermediate file for this reduce task, groups the values by key,
 * reduces each key in sorted order and writes `mr-out-<task>` atomically.
 */
export async function runReduceTask(app: MapReduceApp, spec: ReduceTaskSpec): Promise<void> {
  const groups = new Groups();
  const add = (key: string, value: string) => groups.add(key, value);
  for (let m = 0; m < spec.nMap; m++) {
    const file = join(spec.workDir, intermediateName(m, spec.taskId));
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw new IntermediateFileError(
        file,
        `cannot read map task ${m}'s output (${(error as Error).message}); reduces start only after every map reported done, so the work directory is not shared or was changed`,
        { cause: error },
      );
    }
    decodeIntermediate(text, file, add);
  }
  const output = await groups.reduce(app, { workDir: spec.workDir, taskId: spec.taskId });
  await writeFileAtomic(join(spec.workDir, outputName(spec.taskId)), output);
}
