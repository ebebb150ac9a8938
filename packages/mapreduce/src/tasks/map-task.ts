import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { MapReduceApp } from "../app.js";
import { writeFileAtomic } from "../files/atomic-write.js";
import { Bucket } from "../files/intermediate.js";
import { intermediateName } from "../files/naming.js";
import { reduceTaskOf } from "../ihash.js";
import { mapInto } from "./app-calls.js";

/** What a worker needs to run one map task. */
export interface MapTaskSpec {
  readonly taskId: number;
  /** The input's name as the job was given it: what `map` receives. */
  readonly file: string;
  /** Where to read the input (absolute). */
  readonly path: string;
  readonly nReduce: number;
  /** The job's shared directory, where `mr-X-Y` files go. */
  readonly workDir: string;
}

/**
 * Runs `map` over one input file and writes its pairs to `nReduce` intermediate files
 * `mr-<task>-<r>`, every one of them (empty ones too, so a reduce task can tell a missing file
 * from an empty bucket), each written atomically.
 */
export async function runMapTask(app: MapReduceApp, spec: MapTaskSpec): Promise<void> {
  const contents = await readFile(spec.path, "utf8");
  const buckets = Array.from({ length: spec.nReduce }, () => new Bucket());
  const context = { workDir: spec.workDir, taskId: spec.taskId };
  await mapInto(app, spec.file, contents, context, (key, value) =>
    (buckets[reduceTaskOf(key, spec.nReduce)] as Bucket).add(key, value),
  );
  await Promise.all(
    buckets.map((bucket, r) =>
      writeFileAtomic(join(spec.workDir, intermediateName(spec.taskId, r)), bucket.encode()),
    ),
  );
}
