#!/usr/bin/env node
/**
 * The `porcupine` command (the package's bin): `porcupine check [options] FILE...`.
 * Everything lives in {@link runCli}; this file only connects it to the process.
 */
import { createRequire } from "node:module";
import { runCli } from "./cli/run-cli.js";

const { version } = createRequire(import.meta.url)("../package.json") as { version: string };
runCli(process.argv.slice(2), undefined, version).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `porcupine: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 3;
  },
);
