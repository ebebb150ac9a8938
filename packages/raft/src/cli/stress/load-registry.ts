import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { raftScenarios } from "../../testing/scenarios/index.js";
import type { RaftScenario } from "../../testing/scenarios/types.js";
import { UsageError } from "../exit-codes.js";

/**
 * The URL of a `--registry` module typed relative to `cwd`, or undefined for the built-in suite.
 * Worker threads receive this URL, so they load the very module the main thread checked.
 */
export function registryUrl(path: string | undefined, cwd: string): string | undefined {
  if (path === undefined) return undefined;
  return pathToFileURL(isAbsolute(path) ? path : resolve(cwd, path)).href;
}

/**
 * The scenarios of a registry module (one exporting `raftScenarios`, like
 * `@lab/raft/testing`), or the built-in suite when `url` is undefined.
 */
export async function loadRegistry(url: string | undefined): Promise<readonly RaftScenario[]> {
  if (url === undefined) return raftScenarios;
  let module: { raftScenarios?: unknown };
  try {
    module = (await import(url)) as { raftScenarios?: unknown };
  } catch (cause) {
    throw new UsageError(`--registry: cannot load ${url}: ${(cause as Error).message}`, { cause });
  }
  const scenarios = module.raftScenarios;
  if (!Array.isArray(scenarios) || !scenarios.every(isScenario)) {
    throw new UsageError(
      `--registry: ${url} must export raftScenarios, an array of scenarios ({ name, part, cluster, run })`,
    );
  }
  return scenarios;
}

function isScenario(value: unknown): value is RaftScenario {
  if (typeof value !== "object" || value === null) return false;
  const s = value as Partial<Record<keyof RaftScenario, unknown>>;
  return (
    typeof s.name === "string" &&
    typeof s.part === "string" &&
    typeof s.run === "function" &&
    typeof s.cluster === "object" &&
    s.cluster !== null
  );
}
