import type {} from "vitest";
import type { TestProject } from "vitest/node";
import type { CliCommand } from "../../src/cli-command.js";
import { bundleCli } from "./bundle-cli.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The bundled `mapreduce` CLI the process tests start. */
    mapreduceCli: CliCommand;
  }
}

/** Bundles the CLI once for the whole run (see bundle-cli.ts) and deletes it afterwards. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const bundled = await bundleCli();
  project.provide("mapreduceCli", bundled.cli);
  return () => bundled.dispose();
}
