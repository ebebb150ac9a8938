#!/usr/bin/env node
/**
 * The `raft-trace` command: shows a Raft trace (JSON lines) in per-node columns, filtered by
 * node, term, kind and time. Everything lives in {@link runTraceCli}; this file connects it to
 * the process.
 */
import { processIo } from "./cli-io.js";
import { EXIT } from "./exit-codes.js";
import { runTraceCli } from "./trace/trace-cli.js";

// `raft-trace FILE | head` closes the pipe early: that is the reader being done, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(EXIT.ok);
});

runTraceCli(process.argv.slice(2), { io: processIo() }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `raft-trace: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = EXIT.runnerError;
  },
);
