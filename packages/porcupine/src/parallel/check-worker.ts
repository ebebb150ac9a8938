/**
 * Entry point of a check worker thread: rebuilds the model from its portable reference, then
 * searches the partitions the main thread sends, one at a time.
 */
import { parentPort, workerData } from "node:worker_threads";
import { searchPartition } from "../checker/search.js";
import type { Model } from "../model.js";
import { loadPortableModel } from "./load-model.js";
import type { CheckJob, CheckJobReply, CheckWorkerData } from "./messages.js";

const data = workerData as CheckWorkerData;
const port = parentPort;
if (port === null) throw new Error("check-worker must run in a worker thread");
// Jobs that arrive while the model loads wait in the port's queue: listening starts after loading.
loadPortableModel(data.model).then(
  (model) => port.on("message", (job: CheckJob) => port.postMessage(runJob(model, job))),
  (error: unknown) => {
    throw error;
  },
);

function runJob(model: Model<unknown, unknown, unknown>, job: CheckJob): CheckJobReply {
  let reply: CheckJobReply;
  try {
    const outcome = searchPartition(model, job.operations, {
      deadline:
        job.remainingMs === null ? Number.POSITIVE_INFINITY : performance.now() + job.remainingMs,
      memoryLimitBytes: data.memoryLimitBytes,
      collectInfo: data.collectInfo,
    });
    reply = { partition: job.partition, outcome };
  } catch (error) {
    reply = {
      partition: job.partition,
      error: error instanceof Error ? error.message : String(error),
    };
  }
  return reply;
}
