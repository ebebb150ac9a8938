#!/usr/bin/env node
/**
 * The `mapreduce-stress` command: the course's whole test script, N times. Everything lives in
 * {@link runStressCli}; this file only connects it to the process.
 */
import { runStressCli } from "./cli/run-stress.js";

runStressCli(process.argv.slice(2), (text) => process.stdout.write(text)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`mapreduce-stress: internal error: ${String(error)}\n`);
    process.exitCode = 3;
  },
);
