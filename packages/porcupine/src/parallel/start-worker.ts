import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { WorkerFailureError } from "../errors.js";
import type { CheckWorkerData } from "./messages.js";

/**
 * Starts a check worker thread. From the built package the worker is `check-worker.js` beside
 * the running bundle (tsup builds it as its own entry). From TypeScript sources (tests, tsx) the
 * worker is `check-worker.ts` beside this file, and the thread first registers tsx's loader,
 * because a worker does not inherit the parent's module hooks.
 */
export function startCheckWorker(data: CheckWorkerData): Worker {
  const here = import.meta.url;
  // A worker inherits the process's flags; --input-type (from `node --input-type=module -e`)
  // would make it refuse to load its file.
  const execArgv = process.execArgv.filter((flag) => !flag.startsWith("--input-type"));
  if (!here.endsWith(".ts")) {
    return new Worker(new URL("./check-worker.js", here), { workerData: data, execArgv });
  }
  const workerUrl = new URL("./check-worker.ts", here).href;
  const bootstrap = `import(${JSON.stringify(tsxLoaderUrl(here))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: data, execArgv });
}

function tsxLoaderUrl(from: string): string {
  try {
    // The "require" condition resolves to the CommonJS build; the thread needs the ESM one.
    const resolved = createRequire(from)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs");
    return pathToFileURL(resolved).href;
  } catch (cause) {
    throw new WorkerFailureError(
      "checking in worker threads from TypeScript sources needs tsx installed",
      {
        cause,
      },
    );
  }
}
