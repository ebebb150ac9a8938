import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { KeyValue, MapReduceApp, MaybePromise } from "./app.js";
import { isShippedAppName, shippedAppNames, shippedApps } from "./apps/registry.js";
import { AppLoadError } from "./errors.js";

/**
 * Loads an application the way the course loads a plugin: `spec` is the name of a shipped
 * application (`wc`, `indexer`, `mtiming`, `rtiming`, `jobcount`, `early_exit`, `crash`,
 * `nocrash`) or the path of a module (relative to the current directory) that exports `map` and
 * `reduce` functions, as named exports or as properties of its default export.
 *
 * @throws AppLoadError when the name is unknown, the file is missing or fails to load, or the
 *   module does not export both functions. The message says which.
 */
export async function loadApp(spec: string): Promise<MapReduceApp> {
  if (isShippedAppName(spec)) return shippedApps[spec];
  if (!looksLikePath(spec)) {
    throw new AppLoadError(
      spec,
      `is not a shipped application (${shippedAppNames.join(", ")}) nor a module path ` +
        `(write ./${spec} for a file in the current directory)`,
    );
  }
  const path = resolve(spec);
  try {
    if (!(await stat(path)).isFile()) throw new AppLoadError(spec, `${path} is not a file`);
  } catch (error) {
    if (error instanceof AppLoadError) throw error;
    throw new AppLoadError(spec, `no such module file ${path}`, { cause: error });
  }
  let module: unknown;
  try {
    module = await import(pathToFileURL(path).href);
  } catch (error) {
    throw new AppLoadError(
      spec,
      `${path} failed to load: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return appFromModule(spec, module);
}

/**
 * The application a loaded module provides: its own `map`/`reduce` exports, else those of its
 * default export (a CommonJS `module.exports = { map, reduce }` arrives that way).
 */
export function appFromModule(spec: string, module: unknown): MapReduceApp {
  const candidates = [module, (module as { default?: unknown } | null)?.default];
  for (const candidate of candidates) {
    if (typeof candidate !== "object" && typeof candidate !== "function") continue;
    if (candidate === null) continue;
    const { map, reduce } = candidate as Partial<Record<"map" | "reduce", unknown>>;
    if (typeof map === "function" && typeof reduce === "function") {
      const mapFn = map as (...args: unknown[]) => unknown;
      const reduceFn = reduce as (...args: unknown[]) => unknown;
      // What the module returns is unchecked here on purpose: the tasks check every result
      // (mapInto, reduceChecked) and report a wrong shape as AppOutputError, naming the input.
      return {
        map: (filename, contents, context) =>
          mapFn.call(candidate, filename, contents, context) as MaybePromise<readonly KeyValue[]>,
        reduce: (key, values, context) =>
          reduceFn.call(candidate, key, values, context) as MaybePromise<string>,
      };
    }
  }
  const exported = Object.keys(module as object).filter((k) => k !== "default");
  const missing = ["map", "reduce"].filter(
    (name) => typeof (module as Record<string, unknown>)[name] !== "function",
  );
  throw new AppLoadError(
    spec,
    `does not export ${missing.map((m) => `a ${m}() function`).join(" and ")} ` +
      `(it exports ${exported.length === 0 ? "nothing" : exported.join(", ")})`,
  );
}

function looksLikePath(spec: string): boolean {
  return /[\\/]/.test(spec) || /\.[cm]?[jt]s$/.test(spec);
}
