import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CliCommand, mapreduceCliCommand } from "../cli-command.js";
import { MapReduceUsageError } from "../errors.js";
import { createCaseContext } from "./case-context.js";
import type { CliProcess } from "./cli-process.js";
import { courseScriptCases, type ScriptCase } from "./course-script.js";
import { ciSettings, type ScriptSettings } from "./settings.js";

/** Options of {@link runScriptCase} and {@link runCourseScript}. */
export interface ScriptOptions {
  /** Input files: the course uses its 8 Gutenberg texts (see `gutenbergFiles`). */
  readonly inputs: readonly string[];
  /** Timing knobs (default {@link ciSettings}). */
  readonly settings?: ScriptSettings;
  /** How to start `mapreduce` (default this package's CLI): point it at your own to test it. */
  readonly cli?: CliCommand;
  /** Where case directories are made (default the system's temporary directory). */
  readonly tempDir?: string;
  /** Keep the directory of a failed case (its path is in the error) instead of deleting it. */
  readonly keepFailed?: boolean;
}

/**
 * Runs one case in a fresh directory. Processes it leaves running are killed and the directory
 * is deleted afterwards (a failed case's is kept when `keepFailed`).
 * @throws ScriptCaseError (or another error) when the case fails.
 */
export async function runScriptCase(scriptCase: ScriptCase, options: ScriptOptions): Promise<void> {
  if (options.inputs.length === 0) throw new MapReduceUsageError("the script needs input files");
  const dir = await mkdtemp(join(options.tempDir ?? tmpdir(), `mr-${scriptCase.name}-`));
  const started: CliProcess[] = [];
  const ctx = createCaseContext(
    dir,
    options.inputs,
    options.settings ?? ciSettings,
    options.cli ?? mapreduceCliCommand(),
    started,
  );
  let failed = true;
  try {
    await scriptCase.run(ctx);
    failed = false;
  } catch (error) {
    if (options.keepFailed === true && error instanceof Error) {
      error.message += `\n(case directory kept: ${dir})`;
    }
    throw error;
  } finally {
    for (const process of started) process.kill();
    await Promise.all(started.map((process) => process.exited));
    if (!failed || options.keepFailed !== true) await rm(dir, { recursive: true, force: true });
  }
}

/** One case's result in a {@link runCourseScript} run. */
export interface CaseResult {
  readonly name: string;
  readonly passed: boolean;
  readonly ms: number;
  /** Why it failed. */
  readonly error?: string;
}

/**
 * Runs the whole script (or the cases named in `cases`), one case after another like the
 * course's script, and reports each case; it does not stop at a failure.
 */
export async function runCourseScript(
  options: ScriptOptions & {
    readonly cases?: readonly string[];
    readonly onCase?: (result: CaseResult) => void;
  },
): Promise<CaseResult[]> {
  const selected = selectCases(options.cases);
  const results: CaseResult[] = [];
  for (const scriptCase of selected) {
    const started = performance.now();
    let result: CaseResult;
    try {
      await runScriptCase(scriptCase, options);
      result = { name: scriptCase.name, passed: true, ms: performance.now() - started };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      result = {
        name: scriptCase.name,
        passed: false,
        ms: performance.now() - started,
        error: message,
      };
    }
    results.push(result);
    options.onCase?.(result);
  }
  return results;
}

/** The cases named in `names` (all when absent), in the script's order. */
export function selectCases(names?: readonly string[]): readonly ScriptCase[] {
  if (names === undefined) return courseScriptCases;
  const known = courseScriptCases.map((c) => c.name);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new MapReduceUsageError(
      `unknown case ${unknown.join(", ")}: expected ${known.join(", ")}`,
    );
  }
  return courseScriptCases.filter((c) => names.includes(c.name));
}
