import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { CliCommand } from "../../src/cli-command.js";

/** A bundled CLI and how to delete it. */
export interface BundledCli {
  readonly cli: CliCommand;
  dispose(): Promise<void>;
}

const packageRoot = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Bundles `src/cli.ts` (and the workspace packages it uses, from their sources) into one file
 * in a temporary directory. The tests and `pnpm stress` start many short-lived processes; a
 * bundle starts in a fraction of the CPU time that loading the sources through tsx takes, which
 * matters on a busy 2-core CI machine. `dist/cli.js` sits under a `package.json` like the
 * package's own, so the CLI finds its version, and `run` finds the cli file beside itself.
 */
export async function bundleCli(): Promise<BundledCli> {
  const dir = await mkdtemp(join(tmpdir(), "mapreduce-cli-"));
  const { version } = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as {
    version: string;
  };
  await writeFile(
    join(dir, "package.json"),
    JSON.stringify({ name: "mapreduce-cli-bundle", version, private: true, type: "module" }),
  );
  await mkdir(join(dir, "dist"));
  const outfile = join(dir, "dist", "cli.js");
  await build({
    entryPoints: [join(packageRoot, "src", "cli.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["@lab/source"],
    // protobufjs is CommonJS; its require() calls need a real require in an ES module.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: "error",
  });
  return {
    cli: { command: process.execPath, args: [outfile] },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
