import { mkdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { MapReduceApp } from "./app.js";
import { writeFileAtomic } from "./files/atomic-write.js";
import { resolveInputFiles } from "./files/input-files.js";
import { outputName } from "./files/naming.js";
import { mapInto } from "./tasks/app-calls.js";
import { Groups } from "./tasks/groups.js";

/** Options of {@link runSequential}. */
export interface SequentialOptions {
  readonly app: MapReduceApp;
  /** Input files; `map` receives each name exactly as given here. */
  readonly files: readonly string[];
  /** Directory for the output file `mr-out-0` (created if missing). */
  readonly outDir: string;
}

/** What {@link runSequential} produced. */
export interface SequentialResult {
  /** Absolute path of `mr-out-0`. */
  readonly outputFile: string;
  /** Number of distinct keys (lines of output). */
  readonly keys: number;
  /** Bytes of input read. */
  readonly inputBytes: number;
}

/**
 * The reference run (the course's `mrsequential`): one process maps every file in order, groups
 * all pairs by key, reduces each key in sorted order and writes `mr-out-0`. A distributed run's
 * output, its lines sorted, must equal this file's lines sorted.
 *
 * @throws InputFileError when an input file is missing, before anything runs.
 */
export async function runSequential(options: SequentialOptions): Promise<SequentialResult> {
  const { app, files } = options;
  const paths = await resolveInputFiles(files);
  const outDir = resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  const groups = new Groups();
  const add = (key: string, value: string) => groups.add(key, value);
  let inputBytes = 0;
  for (let i = 0; i < files.length; i++) {
    const contents = await readFile(paths[i] as string);
    inputBytes += contents.length;
    await mapInto(
      app,
      files[i] as string,
      contents.toString("utf8"),
      { workDir: outDir, taskId: i },
      add,
    );
  }
  const output = await groups.reduce(app, { workDir: outDir, taskId: 0 });
  const outputFile = join(outDir, outputName(0));
  await writeFileAtomic(outputFile, output);
  return { outputFile, keys: groups.keyCount, inputBytes };
}
