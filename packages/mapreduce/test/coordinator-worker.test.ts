import { mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  Coordinator,
  type CoordinatorEvent,
  CoordinatorUnreachableError,
  InputFileError,
  JobAbortedError,
  type MapReduceApp,
  runSequential,
  runWorker,
  shippedApps,
} from "../src/index.js";
import { gutenbergFiles, sortedOutputLines } from "../src/testing/index.js";

const scratch = mkdtempSync(join(tmpdir(), "mr-coordinator-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));
const inputs = gutenbergFiles();
let dirs = 0;
const freshDir = () => join(scratch, `job-${dirs++}`);

async function reference(app: MapReduceApp): Promise<string[]> {
  const outDir = freshDir();
  await runSequential({ app, files: inputs, outDir });
  return sortedOutputLines(outDir);
}

/** A port nothing listens on: bound by the system, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("coordinator and workers in one process, over TCP", () => {
  // Whole wc jobs over the eight texts: 16–18 s in CI (every suite shares 2 cores), too close to
  // the default 30 s budget for a functional check.
  it("three workers produce the sequential run's output, and exit when told the job is done", {
    timeout: 120_000,
  }, async () => {
    const workDir = freshDir();
    const events: CoordinatorEvent[] = [];
    const coordinator = await Coordinator.start({
      files: inputs,
      nReduce: 5,
      workDir,
      onEvent: (e) => events.push(e),
    });
    const workers = [1, 2, 3].map((i) =>
      runWorker({ app: shippedApps.wc, coordinator: coordinator.url, name: `w${i}` }),
    );
    const summary = await coordinator.done();
    expect(summary).toMatchObject({
      nMap: 8,
      nReduce: 5,
      mapsDone: 8,
      reducesDone: 5,
      phase: "done",
    });
    const results = await Promise.all(workers);
    await coordinator.close();
    expect(results.map((r) => r.reason)).toEqual(["done", "done", "done"]);
    expect(results.reduce((n, r) => n + r.maps, 0)).toBe(8);
    expect(results.reduce((n, r) => n + r.reduces, 0)).toBe(5);
    expect(await sortedOutputLines(workDir)).toEqual(await reference(shippedApps.wc));
    // Reduces were handed out only after the last map was reported.
    const lastMapDone = events.findIndex((e) => e.type === "reported" && e.progress.mapsDone === 8);
    const firstReduce = events.findIndex((e) => e.type === "assigned" && e.kind === "reduce");
    expect(firstReduce).toBeGreaterThan(lastMapDone);
    expect(events.at(-1)?.type).toBe("done");
  });

  it("hands a stalled task to another worker after the timeout; the late result is a duplicate", async () => {
    const workDir = freshDir();
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let stalled = false;
    // The first execution of the first map stalls until the job is over.
    const stalling: MapReduceApp = {
      async map(filename, contents) {
        if (!stalled) {
          stalled = true;
          await released;
        }
        return shippedApps.nocrash.map(filename, contents);
      },
      reduce: (key, values) => shippedApps.nocrash.reduce(key, values),
    };
    const events: CoordinatorEvent[] = [];
    const coordinator = await Coordinator.start({
      files: inputs,
      nReduce: 3,
      workDir,
      taskTimeoutMs: 300,
      onEvent: (e) => events.push(e),
    });
    const slow = runWorker({ app: stalling, coordinator: coordinator.url, name: "slow" });
    // The second worker starts once the first holds a task, so the stall is certain.
    while (!stalled) await new Promise((resolve) => setTimeout(resolve, 5));
    const fast = runWorker({ app: stalling, coordinator: coordinator.url, name: "fast" });
    const summary = await coordinator.done();
    expect(summary.reissues).toBeGreaterThanOrEqual(1);
    release();
    expect((await slow).reason).toBe("done");
    expect((await fast).reason).toBe("done");
    await coordinator.close();
    const reissue = events.find((e) => e.type === "assigned" && e.reissued);
    expect(reissue).toMatchObject({ kind: "map", taskId: 0, attempt: 2, worker: "fast" });
    expect(
      events.some((e) => e.type === "reported" && e.worker === "slow" && e.outcome === "duplicate"),
    ).toBe(true);
    expect(await sortedOutputLines(workDir)).toEqual(await reference(shippedApps.nocrash));
  });

  it("aborts the job when a task keeps failing; workers learn why", async () => {
    const failing: MapReduceApp = {
      map: (filename) => {
        if (filename.endsWith("pg-grimm.txt")) throw new Error("cannot parse grimm");
        return [];
      },
      reduce: () => "",
    };
    const coordinator = await Coordinator.start({ files: inputs, workDir: freshDir() });
    const worker = runWorker({ app: failing, coordinator: coordinator.url });
    const aborted = await coordinator.done().catch((e: unknown) => e);
    expect(aborted).toBeInstanceOf(JobAbortedError);
    expect((aborted as Error).message).toBe(
      "job aborted: map task 3 failed 3 times; last error: Error: cannot parse grimm",
    );
    await expect(worker).rejects.toThrow(JobAbortedError);
    await expect(worker).rejects.toThrow(
      /the coordinator aborted the job: map task 3 failed 3 times/,
    );
    await coordinator.close();
  });

  it("a worker whose coordinator goes away mid-job exits on its own", async () => {
    // The only map never finishes, so the second worker is told to wait until the coordinator
    // stops answering.
    const never: MapReduceApp = { map: () => new Promise(() => {}), reduce: () => "" };
    const coordinator = await Coordinator.start({
      files: [inputs[0] as string],
      workDir: freshDir(),
    });
    void runWorker({ app: never, coordinator: coordinator.url, name: "stuck" });
    let toldToWait: () => void = () => {};
    const waited = new Promise<void>((resolve) => {
      toldToWait = resolve;
    });
    const events: string[] = [];
    const waiting = runWorker({
      app: shippedApps.wc,
      coordinator: coordinator.url,
      goneAfterMs: 300,
      onEvent: (e) => {
        events.push(e.type);
        if (e.type === "told-to-wait") toldToWait();
      },
    });
    await waited;
    await coordinator.close();
    expect(await waiting).toEqual({ reason: "coordinator-gone", maps: 0, reduces: 0, failures: 0 });
    expect(events).toContain("no-reply");
  });

  it("a worker that never reaches a coordinator fails with CoordinatorUnreachableError", async () => {
    const port = await closedPort();
    const error = await runWorker({
      app: shippedApps.wc,
      coordinator: `127.0.0.1:${port}`,
      connectWaitMs: 300,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoordinatorUnreachableError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^cannot reach the coordinator at 127\\.0\\.0\\.1:${port} \\(unreachable for 0\\.\\d s\\)`,
      ),
    );
  });

  it("a worker started before its coordinator waits for it (within connectWaitMs)", async () => {
    const port = await closedPort();
    const events: string[] = [];
    const worker = runWorker({
      app: shippedApps.wc,
      coordinator: String(port),
      connectWaitMs: 20_000,
      onEvent: (e) => events.push(e.type),
    });
    while (!events.includes("no-reply")) await new Promise((resolve) => setTimeout(resolve, 10));
    const coordinator = await Coordinator.start({
      files: inputs,
      nReduce: 2,
      workDir: freshDir(),
      port,
    });
    await coordinator.done();
    expect(await worker).toMatchObject({ reason: "done", maps: 8, reduces: 2 });
    await coordinator.close();
  });

  it("the coordinator refuses missing inputs before listening", async () => {
    await expect(
      Coordinator.start({ files: ["missing.txt"], workDir: freshDir() }),
    ).rejects.toThrow(InputFileError);
  });
});
