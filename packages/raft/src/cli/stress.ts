#!/usr/bin/env node
/**
 * The `raft-stress` command: runs the Raft lab scenarios over many seeds in worker threads, or
 * replays one seed with a trace. Everything lives in {@link runStressCli}; this file connects it
 * to the process: arguments, streams, Ctrl-C, exit code.
 */
import { processIo } from "./cli-io.js";
import { EXIT } from "./exit-codes.js";
import { runStressCli } from "./stress/stress-cli.js";

// The worker is an entry of its own beside this one: `stress-worker.ts` in the sources,
// `stress-worker.js` in the build (see tsup.config.ts).
const workerUrl = new URL(
  import.meta.url.endsWith(".ts") ? "./stress-worker.ts" : "./stress-worker.js",
  import.meta.url,
);

// First Ctrl-C: stop the workers and print the summary so far. Second: leave at once.
const interrupt = new AbortController();
process.on("SIGINT", () => {
  if (interrupt.signal.aborted) process.exit(EXIT.interrupted);
  interrupt.abort();
});

runStressCli(process.argv.slice(2), { io: processIo(), workerUrl, signal: interrupt.signal }).then(
  (code) => {
    // An interrupted replay leaves its simulation running: do not wait for it.
    if (code === EXIT.interrupted) process.exit(code);
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `raft-stress: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = EXIT.runnerError;
  },
);
