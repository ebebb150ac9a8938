/**
 * `pnpm stress`: the stress command from the sources, with the CLI bundled first so the many
 * processes it starts do not each pay for loading the sources through tsx.
 */
import { runStressCli } from "../src/cli/run-stress.js";
import { bundleCli } from "../test/support/bundle-cli.js";

const bundled = await bundleCli();
try {
  process.exitCode = await runStressCli(
    process.argv.slice(2),
    (text) => process.stdout.write(text),
    { cli: bundled.cli },
  );
} finally {
  await bundled.dispose();
}
