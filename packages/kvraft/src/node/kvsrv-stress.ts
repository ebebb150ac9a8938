#!/usr/bin/env node
/**
 * The `kvsrv-stress` command (`pnpm --filter @lab/kvraft stress:kvsrv`): the course's kvsrv
 * scenarios over many seeds. Everything lives in {@link runStressCli}; this file connects it to
 * the process: arguments, streams, exit status.
 */
import { runStressCli, STRESS_EXIT } from "./stress/stress-cli.js";

runStressCli(
  process.argv.slice(2),
  {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  },
  // Child processes (--jobs) run this same script with the same node flags (the TypeScript
  // loader when run from the sources).
  { script: process.argv[1] as string, execArgv: process.execArgv },
).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `kvsrv-stress: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = STRESS_EXIT.internal;
  },
);
