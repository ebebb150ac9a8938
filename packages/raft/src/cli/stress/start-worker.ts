import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { StressWorkerData } from "./messages.js";

/** The export condition that makes workspace packages resolve to their TypeScript sources. */
const SOURCE_CONDITION = "--conditions=@lab/source";

/**
 * Starts a stress worker thread running the module at `workerUrl`.
 *
 * A built worker (`.js`) starts directly. A TypeScript worker (running from sources through tsx
 * or vitest) cannot: a worker thread does not inherit the parent's module hooks, and tsx's
 * `--import` loader in the inherited flags is not applied to it either (checked on Node 20:
 * "Unknown file extension .ts"). So the thread first registers tsx's loader through its API,
 * then imports the worker; and it resolves workspace packages to their sources, as the parent
 * does, with the `@lab/source` condition (which worker threads do honour from `execArgv`).
 */
export function startStressWorker(workerUrl: URL, data: StressWorkerData): Worker {
  // --input-type (from `node --input-type=module -e`) would make a worker refuse its file.
  const execArgv = process.execArgv.filter((flag) => !flag.startsWith("--input-type"));
  if (!workerUrl.pathname.endsWith(".ts")) {
    return new Worker(workerUrl, { workerData: data, execArgv });
  }
  if (!execArgv.includes(SOURCE_CONDITION)) execArgv.push(SOURCE_CONDITION);
  const bootstrap = `import(${JSON.stringify(tsxApiUrl())})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: data, execArgv });
}

function tsxApiUrl(): string {
  // The "require" condition resolves to tsx's CommonJS build; the thread needs the ESM one.
  const resolved = createRequire(import.meta.url)
    .resolve("tsx/esm/api")
    .replace(/\.cjs$/, ".mjs");
  return pathToFileURL(resolved).href;
}
