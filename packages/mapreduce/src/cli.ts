#!/usr/bin/env node
/**
 * The `mapreduce` command (the package's bin). Everything lives in {@link runCli}; this file only
 * connects it to the process.
 */
import { createRequire } from "node:module";
import { runCli } from "./cli/run-cli.js";

const { version } = createRequire(import.meta.url)("../package.json") as { version: string };
runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }, version).then(
  // Exit explicitly: an application module may leave timers or handles behind, and a worker
  // whose job is over must not linger because of them.
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`mapreduce: internal error: ${String(error)}\n`);
    process.exit(3);
  },
);
