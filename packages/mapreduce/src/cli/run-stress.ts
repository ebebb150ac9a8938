import { parseArgs } from "node:util";
import { MapReduceUsageError } from "../errors.js";
import { gutenbergFiles } from "../testing/gutenberg.js";
import { runCourseScript, type ScriptOptions, selectCases } from "../testing/run-script.js";
import { ciSettings, courseSettings } from "../testing/settings.js";
import { parseCount } from "./duration.js";
import { EXIT, exitCodeFor } from "./exit-codes.js";

/** `mapreduce-stress --help`. */
export const STRESS_USAGE = `Usage: mapreduce-stress [--runs N] [--course-settings] [--cases A,B] [--inputs DIR] [--keep-failed]

Runs the course's whole MapReduce test script (wc, indexer, map-parallelism,
reduce-parallelism, job-count, early-exit, crash) N times (default 1), one run after another,
and reports "N passed, M failed" (a run passes when every case does).

  --course-settings  the course's timings (10 s task timeout, full sleeps); default: CI timings
  --cases A,B        only these cases
  --inputs DIR       directory of the pg-*.txt inputs (default: $LAB_SHARED_DIR/data/gutenberg)
  --keep-failed      keep the directories of failed cases
`;

/**
 * Runs the stress command with `argv`; returns the exit code (0 when every run passed).
 * `extra` overrides script options (tests point `cli` elsewhere).
 */
export async function runStressCli(
  argv: readonly string[],
  write: (text: string) => void,
  extra: Partial<ScriptOptions> = {},
): Promise<number> {
  try {
    const { values } = parseStressArgs(argv);
    if (values.help === true) {
      write(STRESS_USAGE);
      return EXIT.ok;
    }
    const runs = values.runs === undefined ? 1 : parseCount("--runs", values.runs);
    const settings = values["course-settings"] === true ? courseSettings : ciSettings;
    const cases = values.cases?.split(",").filter((name) => name !== "");
    const names = selectCases(cases).map((c) => c.name);
    const inputs = gutenbergFiles(values.inputs);
    write(
      `mapreduce stress: ${runs} run(s) of ${names.join(", ")} with ${settings.name} settings on ${inputs.length} inputs\n`,
    );
    const started = performance.now();
    let passed = 0;
    for (let run = 1; run <= runs; run++) {
      const runStarted = performance.now();
      const results = await runCourseScript({
        inputs,
        settings,
        keepFailed: values["keep-failed"] === true,
        ...extra,
        cases: names,
        onCase: (r) =>
          write(
            `run ${run}/${runs} ${r.name}: ${r.passed ? "passed" : "FAILED"} (${seconds(r.ms)})` +
              `${r.error === undefined ? "" : `\n  ${r.error.replaceAll("\n", "\n  ")}`}\n`,
          ),
      });
      const failed = results.filter((r) => !r.passed).map((r) => r.name);
      if (failed.length === 0) passed++;
      write(
        `run ${run}/${runs}: ${failed.length === 0 ? "passed" : `FAILED (${failed.join(", ")})`} ` +
          `in ${seconds(performance.now() - runStarted)}\n`,
      );
    }
    write(
      `${passed} passed, ${runs - passed} failed (${settings.name} settings, ${seconds(performance.now() - started)})\n`,
    );
    return passed === runs ? EXIT.ok : EXIT.failed;
  } catch (error) {
    write(`mapreduce-stress: ${error instanceof Error ? error.message : String(error)}\n`);
    return exitCodeFor(error) === EXIT.internal ? EXIT.internal : EXIT.badInput;
  }
}

function parseStressArgs(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      options: {
        runs: { type: "string" },
        "course-settings": { type: "boolean" },
        cases: { type: "string" },
        inputs: { type: "string" },
        "keep-failed": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new MapReduceUsageError((error as Error).message);
  }
}

function seconds(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const total = Math.round(ms / 1000);
  return `${Math.floor(total / 60)}m ${total % 60}s`;
}
