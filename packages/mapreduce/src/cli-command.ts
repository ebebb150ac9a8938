import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { extname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MapReduceError } from "./errors.js";

/** A program and its leading arguments: what to spawn to run the `mapreduce` CLI. */
export interface CliCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * How to start this package's `mapreduce` CLI as a new process: `node dist/cli.js` from the
 * build, or `node --import tsx src/cli.ts` when running from sources (inside this repository).
 * `run` and the course script start coordinators and workers this way.
 *
 * The cli file is looked up beside this module and one level up, because the bundler may place
 * this code in `dist/`, in a shared chunk, or inlined into `dist/testing/`.
 */
export function mapreduceCliCommand(): CliCommand {
  const here = import.meta.url;
  const ext = extname(fileURLToPath(here));
  const candidates = [`./cli${ext}`, `../cli${ext}`].map((rel) =>
    fileURLToPath(new URL(rel, here)),
  );
  const cli = candidates.find((path) => existsSync(path));
  if (cli === undefined) {
    throw new MapReduceError(`cannot find the mapreduce CLI beside ${fileURLToPath(here)}`);
  }
  if (ext !== ".ts") return { command: process.execPath, args: [cli] };
  let loader: string;
  try {
    loader = createRequire(here).resolve("tsx");
  } catch (error) {
    throw new MapReduceError(
      "running @lab/mapreduce from its sources needs tsx installed; build the package instead",
      {
        cause: error,
      },
    );
  }
  return {
    command: process.execPath,
    args: ["--import", pathToFileURL(loader).href, "--conditions=@lab/source", cli],
  };
}
