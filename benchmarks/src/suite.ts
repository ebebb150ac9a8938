/**
 * One figure of a benchmark run, printed as a table row and written as one JSON line with
 * `--json`. `baseline` is a comparable figure measured in the same run (or, where the issue says
 * so, a documented reference figure), and `ratio` is `value / baseline`.
 */
export interface BenchRow {
  readonly suite: string;
  readonly case: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline: number | null;
  readonly ratio: number | null;
  /** What the baseline is, e.g. "JSON.stringify/parse" or "raw node:net echo". */
  readonly baselineName?: string;
}

export interface SuiteContext {
  /** Run a short version (each suite finishes in under a minute with `--quick`). */
  readonly quick: boolean;
  /** Progress output (stderr), kept out of the table. */
  log(message: string): void;
}

/** A benchmark suite: a module under `src/suites/` whose default export is one of these. */
export interface BenchSuite {
  /** Name used on the command line: `pnpm bench <name>`. */
  readonly name: string;
  readonly description: string;
  run(context: SuiteContext): Promise<BenchRow[]>;
}

/** Builds a row, computing the ratio from value and baseline. */
export function row(
  fields: Omit<BenchRow, "ratio" | "baseline"> & { baseline?: number | null },
): BenchRow {
  const baseline = fields.baseline ?? null;
  const ratio = baseline === null || baseline === 0 ? null : fields.value / baseline;
  return { ...fields, baseline, ratio };
}
