import { readdir } from "node:fs/promises";
import {
  type CaseContext,
  referenceOutput,
  startCoordinator,
  startWorker,
} from "./case-context.js";
import type { CliProcess } from "./cli-process.js";
import { expectSameLines, sortedOutputLines } from "./output.js";
import { ScriptCaseError } from "./script-error.js";

/** One case of the course's `test-mr.sh`. */
export interface ScriptCase {
  /** Short name: `wc`, `indexer`, `map-parallelism`, ... */
  readonly name: string;
  /** What it checks, in a line. */
  readonly title: string;
  run(ctx: CaseContext): Promise<void>;
}

/** Starts `n` workers of `app`, labelled `worker 1` ... */
function startWorkers(
  ctx: CaseContext,
  n: number,
  app: string,
  address: string,
  timeScale: number,
  first = 1,
): CliProcess[] {
  return Array.from({ length: n }, (_, i) =>
    startWorker(ctx, `worker ${first + i}`, app, address, timeScale),
  );
}

/** Waits for every process, checking each exit (in order, so the first failure is reported). */
async function expectAllExit(processes: readonly CliProcess[], codes?: readonly number[]) {
  const results = await Promise.allSettled(processes.map((p) => p.expectExit(codes)));
  for (const result of results) if (result.status === "rejected") throw result.reason;
}

/** Starts the reference run now and hands back its result later, without an unhandled rejection. */
function inBackground<T>(promise: Promise<T>): () => Promise<T> {
  promise.catch(() => {});
  return () => promise;
}

/** A job whose sorted output must equal the sequential run's (cases 1 and 2). */
function sameAsSequential(name: string, app: string, workers: number): ScriptCase {
  return {
    name,
    title: `${app} with ${workers} workers: sorted output equals the sequential run's`,
    async run(ctx) {
      const expected = inBackground(referenceOutput(ctx, app));
      const coordinator = await startCoordinator(ctx, ctx.settings.taskTimeoutMs);
      // The course's script blocks on the last worker: workers must exit by themselves.
      const all = [coordinator.process, ...startWorkers(ctx, workers, app, coordinator.address, 1)];
      await expectAllExit(all);
      expectSameLines(await sortedOutputLines(ctx.dir), await expected(), `${app} output`);
    },
  };
}

const mapParallelism: ScriptCase = {
  name: "map-parallelism",
  title: "two mtiming workers both run maps, at the same time",
  async run(ctx) {
    const coordinator = await startCoordinator(ctx, ctx.settings.taskTimeoutMs);
    const workers = startWorkers(ctx, 2, "mtiming", coordinator.address, 1);
    await expectAllExit([coordinator.process, ...workers]);
    const lines = await sortedOutputLines(ctx.dir);
    const times = lines.filter((line) => line.startsWith("times-"));
    if (times.length !== 2) {
      throw new ScriptCaseError(
        `expected maps from 2 workers (2 "times-" lines), got ${times.length}: ${JSON.stringify(times)}`,
      );
    }
    const parallel = lines.filter((line) => line.startsWith("parallel-"));
    if (!parallel.some((line) => line.split(" ").slice(1).includes("2"))) {
      throw new ScriptCaseError(
        `no map saw 2 workers mapping at once: ${JSON.stringify(parallel)}`,
      );
    }
  },
};

const reduceParallelism: ScriptCase = {
  name: "reduce-parallelism",
  title: "two rtiming workers run reduces at the same time",
  async run(ctx) {
    const coordinator = await startCoordinator(ctx, ctx.settings.taskTimeoutMs);
    const workers = startWorkers(ctx, 2, "rtiming", coordinator.address, 1);
    await expectAllExit([coordinator.process, ...workers]);
    const lines = await sortedOutputLines(ctx.dir);
    const overlapping = lines.filter((line) => /^[a-z] 2$/.test(line));
    if (overlapping.length < 2) {
      throw new ScriptCaseError(
        `expected at least 2 keys reduced while 2 workers were reducing, got ${overlapping.length}: ${JSON.stringify(lines)}`,
      );
    }
  },
};

const jobCount: ScriptCase = {
  name: "job-count",
  title: "every map runs exactly once; late workers find the job done",
  async run(ctx) {
    const scale = ctx.settings.timeScale;
    const coordinator = await startCoordinator(ctx, ctx.settings.taskTimeoutMs);
    await expectAllExit(startWorkers(ctx, 2, "jobcount", coordinator.address, scale));
    // Started after the job: they get "exit" from a lingering coordinator (code 0) or find it
    // gone (code 1, "cannot reach the coordinator"); either way they must not run a map.
    await expectAllExit(startWorkers(ctx, 2, "jobcount", coordinator.address, scale, 3), [0, 1]);
    await coordinator.process.expectExit();
    const n = ctx.inputs.length;
    expectSameLines(await sortedOutputLines(ctx.dir), [`a ${n}`], "jobcount output");
    const markers = (await readdir(ctx.dir)).filter((f) => f.startsWith("mr-worker-jobcount-"));
    if (markers.length !== n) {
      throw new ScriptCaseError(`${markers.length} map executions after the job, expected ${n}`);
    }
  },
};

const earlyExit: ScriptCase = {
  name: "early-exit",
  title: "no process exits before the output is complete",
  async run(ctx) {
    const scale = ctx.settings.timeScale;
    const expected = inBackground(referenceOutput(ctx, "early_exit", scale));
    const coordinator = await startCoordinator(ctx, ctx.settings.taskTimeoutMs);
    const all = [
      coordinator.process,
      ...startWorkers(ctx, 3, "early_exit", coordinator.address, scale),
    ];
    // The course's `wait -n`: the moment the first process exits, the output must be final.
    const first = await Promise.race(all.map((p) => p.exited.then(() => p)));
    const snapshot = await sortedOutputLines(ctx.dir);
    await expectAllExit(all);
    const final = await sortedOutputLines(ctx.dir);
    expectSameLines(snapshot, final, `output when ${first.label} exited, against the final output`);
    expectSameLines(final, await expected(), "early_exit output");
  },
};

const crash: ScriptCase = {
  name: "crash",
  title: "workers crash and stall at random and are restarted; the output is still right",
  async run(ctx) {
    const { timeScale, crashTaskTimeoutMs, crashTimeoutMs, restartDelayMs } = ctx.settings;
    const expected = inBackground(referenceOutput(ctx, "nocrash"));
    const coordinator = await startCoordinator(ctx, crashTaskTimeoutMs, crashTimeoutMs);
    const workers: CliProcess[] = [];
    const startOne = () => {
      const worker = startWorker(
        ctx,
        `crash worker ${workers.length + 1}`,
        "crash",
        coordinator.address,
        timeScale,
      );
      workers.push(worker);
      return worker;
    };
    startOne();
    // Three loops keep a worker running while the coordinator lives, like the course's
    // `while [ -e $SOCKNAME -a ! -f mr-done ]` loops.
    const loops = [1, 2, 3].map(async () => {
      while (coordinator.process.running) {
        await startOne().exited;
        if (!coordinator.process.running) break;
        await new Promise((resolve) => setTimeout(resolve, restartDelayMs));
      }
    });
    await coordinator.process.expectExit();
    await Promise.all(loops);
    // Crash workers exit 1 when they crash (or find the coordinator already gone); what
    // matters is that each one exits by itself.
    await expectAllExit(workers, [0, 1]);
    expectSameLines(await sortedOutputLines(ctx.dir), await expected(), "crash output");
  },
};

/** The course's `test-mr.sh`, case by case, in its order. */
export const courseScriptCases: readonly ScriptCase[] = [
  sameAsSequential("wc", "wc", 3),
  sameAsSequential("indexer", "indexer", 2),
  mapParallelism,
  reduceParallelism,
  jobCount,
  earlyExit,
  crash,
];
