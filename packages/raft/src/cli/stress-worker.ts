/**
 * Entry point of a stress worker thread: loads the scenario registry once, then runs the jobs
 * the main thread sends, one at a time, and reports each outcome.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { RaftPeerFactory } from "../testing/raft-peer.js";
import { runScenario } from "../testing/scenarios/run-scenario.js";
import type { RaftScenario } from "../testing/scenarios/types.js";
import { loadPeerFactory } from "./stress/load-peer-factory.js";
import { loadRegistry } from "./stress/load-registry.js";
import type {
  StressJob,
  StressRunReport,
  StressWorkerData,
  StressWorkerMessage,
} from "./stress/messages.js";

const port = parentPort;
if (port === null) throw new Error("stress-worker must run in a worker thread");
const data = workerData as StressWorkerData;

// The main thread sends jobs only after "ready": a thread that dies before it failed to start.
Promise.all([loadRegistry(data.registry), loadPeerFactory(data.raft)]).then(
  ([registry, peerFactory]) => {
    port.on("message", (job: StressJob) => {
      runJob(registry, peerFactory, job).then(
        (report) => post({ type: "result", report }),
        // runJob reports every failure it can see; anything else ends the thread, and the main
        // thread fails this run as a crash and starts another thread.
        (error: unknown) => {
          throw error;
        },
      );
    });
    post({ type: "ready" });
  },
  (error: unknown) => {
    // Fails the thread; the main thread reports it as a runner error.
    throw error;
  },
);

function post(message: StressWorkerMessage): void {
  port?.postMessage(message);
}

async function runJob(
  registry: readonly RaftScenario[],
  peerFactory: RaftPeerFactory | undefined,
  job: StressJob,
): Promise<StressRunReport> {
  const started = performance.now();
  const scenario = registry.find((s) => s.name === job.scenario);
  if (scenario === undefined) {
    return {
      ...job,
      ok: false,
      failure: `scenario ${job.scenario} is not in the worker's registry`,
      virtualMs: 0,
      wallMs: 0,
    };
  }
  try {
    const result = await runScenario(scenario, {
      seed: job.seed,
      ...(peerFactory ? { peerFactory } : {}),
      ...(data.syncDelayMs !== undefined ? { syncDelayMs: data.syncDelayMs } : {}),
    });
    return {
      ...job,
      ok: result.ok,
      ...(result.failure ? { failure: result.failure.message } : {}),
      virtualMs: result.virtualMs,
      wallMs: performance.now() - started,
    };
  } catch (error) {
    // runScenario reports scenario failures in its result; this is a harness bug, still a failure.
    return {
      ...job,
      ok: false,
      failure: `runScenario threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      virtualMs: 0,
      wallMs: performance.now() - started,
    };
  }
}
