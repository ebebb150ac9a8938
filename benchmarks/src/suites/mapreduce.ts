import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SeededRandom } from "@lab/labrpc";
import { type CliCommand, runJob } from "@lab/mapreduce";
import { gutenbergFiles } from "@lab/mapreduce/testing";
import { build } from "esbuild";
import { type BenchRow, type BenchSuite, row } from "../suite.js";

/**
 * Word count (the course's `wc`) over the course's 8 Gutenberg texts and over a generated corpus
 * of at least 200 MB (10 MB with `--quick`): wall time and MB/s of the sequential runner (one
 * process, the baseline) and of a coordinator with 1, 2 and 4 worker processes, all measured in
 * this run on the same files.
 *
 * Every figure includes starting processes: the sequential runner is a `mapreduce sequential`
 * process, and a distributed run is timed from starting the coordinator until the last reduce is
 * reported (the workers' exit afterwards is not counted). The processes run the CLI bundled into
 * one file, as the built package would be, rather than the sources through tsx, whose start-up
 * would dominate the small corpus.
 */

const N_REDUCE = 10;
const WORKERS = [1, 2, 4] as const;
const MB = 1e6;

/** Bundles the `mapreduce` CLI from its sources into `dir` (see the module comment). */
async function bundleCli(dir: string): Promise<CliCommand> {
  const source = fileURLToPath(new URL("../../../packages/mapreduce/src/cli.ts", import.meta.url));
  await mkdir(join(dir, "dist"), { recursive: true });
  // The CLI reads its version from ../package.json.
  await writeFile(join(dir, "package.json"), '{"version":"0.0.0","type":"module"}');
  const outfile = join(dir, "dist", "cli.js");
  await build({
    entryPoints: [source],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["@lab/source"],
    // protobufjs is CommonJS; its require() calls need a real require in an ES module.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: "error",
  });
  return { command: process.execPath, args: [outfile] };
}

/** A generated corpus: files of about `fileBytes` each, `totalBytes` in all. */
interface CorpusPlan {
  readonly totalBytes: number;
  readonly files: number;
}

/**
 * Writes a corpus whose words follow the Gutenberg texts' distribution: each word is drawn
 * uniformly from the texts' word occurrences (so a word's frequency is its frequency there),
 * from a seeded generator, with lines of 6 to 16 words and some punctuation. The same seed gives
 * the same bytes on every machine.
 */
async function generateCorpus(dir: string, plan: CorpusPlan, sources: readonly string[]) {
  const occurrences: string[] = [];
  for (const file of sources) {
    for (const word of (await readFile(file, "utf8")).match(/\p{L}+/gu) ?? [])
      occurrences.push(word);
  }
  const random = new SeededRandom(6_5840);
  const perFile = Math.ceil(plan.totalBytes / plan.files);
  const files: string[] = [];
  for (let f = 0; f < plan.files; f++) {
    const path = join(dir, `corpus-${String(f).padStart(3, "0")}.txt`);
    files.push(path);
    const out = createWriteStream(path);
    let written = 0;
    while (written < perFile) {
      const chunk: string[] = [];
      let chunkBytes = 0;
      const target = Math.min(1 << 20, perFile - written);
      while (chunkBytes < target) {
        const words = 6 + random.int(11);
        let line = "";
        for (let w = 0; w < words; w++) {
          line += occurrences[random.int(occurrences.length)] as string;
          const mark = random.int(20);
          line +=
            w === words - 1 ? (mark < 10 ? "." : "") : mark === 0 ? ", " : mark === 1 ? "; " : " ";
        }
        chunk.push(line);
        chunkBytes += Buffer.byteLength(line) + 1;
      }
      const text = `${chunk.join("\n")}\n`;
      written += Buffer.byteLength(text);
      if (!out.write(text))
        await new Promise<void>((resolve) => out.once("drain", () => resolve()));
    }
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }
  return files;
}

async function totalBytes(files: readonly string[]): Promise<number> {
  let total = 0;
  for (const file of files) total += (await stat(file)).size;
  return total;
}

/** Runs `mapreduce sequential --app wc` as a process; resolves with its wall time in ms. */
function sequentialMs(cli: CliCommand, files: readonly string[], outDir: string): Promise<number> {
  const started = performance.now();
  const child = spawn(
    cli.command,
    [...cli.args, "sequential", "--app", "wc", "--out", outDir, ...files],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  return new Promise((resolve, reject) =>
    child.on("close", (code) =>
      code === 0
        ? resolve(performance.now() - started)
        : reject(new Error(`sequential exited ${code}`)),
    ),
  );
}

/** Runs a coordinator and `workers` worker processes; resolves with the job's wall time in ms. */
async function distributedMs(
  cli: CliCommand,
  files: readonly string[],
  outDir: string,
  workers: number,
): Promise<number> {
  const started = performance.now();
  let doneAt = 0;
  await runJob({
    app: "wc",
    files,
    workers,
    nReduce: N_REDUCE,
    outDir,
    cli,
    onEvent: (event) => {
      if (event.type === "done") doneAt = performance.now();
    },
  });
  return doneAt - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] as number;
}

async function measureCorpus(
  name: string,
  files: readonly string[],
  repeats: number,
  scratch: string,
  cli: CliCommand,
  log: (message: string) => void,
): Promise<BenchRow[]> {
  const bytes = await totalBytes(files);
  const label = `wc, ${name} (${files.length} files, ${(bytes / MB).toFixed(bytes < 10 * MB ? 1 : 0)} MB)`;
  let run = 0;
  const timed = async (what: string, once: (outDir: string) => Promise<number>) => {
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const outDir = join(scratch, `run-${run++}`);
      times.push(await once(outDir));
      await rm(outDir, { recursive: true, force: true });
    }
    const ms = median(times);
    log(
      `${label}, ${what}: ${(ms / 1000).toFixed(2)} s, ${(bytes / MB / (ms / 1000)).toFixed(1)} MB/s`,
    );
    return ms;
  };
  const seqMs = await timed("sequential", (outDir) => sequentialMs(cli, files, outDir));
  const rows: BenchRow[] = [
    row({
      suite: "mapreduce",
      case: `${label}: sequential`,
      metric: "wall s",
      value: seqMs / 1000,
      unit: "s",
    }),
    row({
      suite: "mapreduce",
      case: `${label}: sequential`,
      metric: "MB/s",
      value: bytes / MB / (seqMs / 1000),
      unit: "MB/s",
    }),
  ];
  for (const workers of WORKERS) {
    const ms = await timed(`${workers} worker(s)`, (outDir) =>
      distributedMs(cli, files, outDir, workers),
    );
    const what = `${label}: ${workers} worker${workers === 1 ? "" : "s"}`;
    const baselineName = "sequential runner";
    rows.push(
      row({
        suite: "mapreduce",
        case: what,
        metric: "wall s",
        value: ms / 1000,
        unit: "s",
        baseline: seqMs / 1000,
        baselineName,
      }),
      row({
        suite: "mapreduce",
        case: what,
        metric: "MB/s",
        value: bytes / MB / (ms / 1000),
        unit: "MB/s",
        baseline: bytes / MB / (seqMs / 1000),
        baselineName,
      }),
    );
  }
  return rows;
}

const suite: BenchSuite = {
  name: "mapreduce",
  description:
    "wc over the Gutenberg texts and a generated corpus: sequential runner vs a coordinator with 1, 2, 4 worker processes",
  async run(context) {
    const scratch = await mkdtemp(join(tmpdir(), "bench-mapreduce-"));
    try {
      const cli = await bundleCli(join(scratch, "cli"));
      const gutenberg = gutenbergFiles();
      const rows = await measureCorpus(
        "Gutenberg texts",
        gutenberg,
        context.quick ? 1 : 3,
        scratch,
        cli,
        context.log,
      );
      const plan: CorpusPlan = context.quick
        ? { totalBytes: 10 * MB, files: 8 }
        : { totalBytes: 200 * MB, files: 32 };
      context.log(`generating a ${plan.totalBytes / MB} MB corpus in ${plan.files} files`);
      const corpusDir = join(scratch, "corpus");
      await rm(corpusDir, { recursive: true, force: true });
      await mkdir(corpusDir);
      const corpus = await generateCorpus(corpusDir, plan, gutenberg);
      rows.push(...(await measureCorpus("generated corpus", corpus, 1, scratch, cli, context.log)));
      return rows;
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  },
};

export default suite;
