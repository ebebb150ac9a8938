import { runStressCli, STRESS_EXIT } from "./stress-cli.js";
import type { StressSuite } from "./stress-suite.js";

/**
 * Runs the stress command for `suite` as this process: arguments, streams, exit status. Child
 * processes (--jobs) run the same script with the same node flags (the TypeScript loader when
 * run from the sources).
 */
export function runStressMain(suite: StressSuite): void {
  runStressCli(
    process.argv.slice(2),
    {
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
    },
    { script: process.argv[1] as string, execArgv: process.execArgv },
    suite,
  ).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `${suite.command}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = STRESS_EXIT.internal;
    },
  );
}
