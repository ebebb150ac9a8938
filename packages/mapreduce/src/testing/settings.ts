/**
 * The timing knobs of the course's test script. The course's figures make a run take minutes;
 * the CI figures keep every check and shrink only the waits that do not decide the outcome.
 */
export interface ScriptSettings {
  /** Name shown in reports. */
  readonly name: string;
  /** Re-issue timeout of every case but the crash test (course: 10 s). */
  readonly taskTimeoutMs: number;
  /** Re-issue timeout of the crash test (course: 10 s). */
  readonly crashTaskTimeoutMs: number;
  /**
   * `MAPREDUCE_TIME_SCALE` for the jobcount, early_exit and crash applications (course: 1). The
   * map and reduce parallelism cases always run at the course's 1 s per task: their checks are
   * about two workers overlapping, and a shorter task leaves a slow-starting worker less room.
   */
  readonly timeScale: number;
  /** Crash test: pause before a crashed worker is started again (course: 1 s). */
  readonly restartDelayMs: number;
  /** Longest any process of a case may run (course: `timeout 45s`). */
  readonly processTimeoutMs: number;
  /** Longest the crash test's coordinator may run (course: `timeout 120s`). */
  readonly crashTimeoutMs: number;
}

/** The course's `test-mr.sh`, figure for figure. */
export const courseSettings: ScriptSettings = {
  name: "course",
  taskTimeoutMs: 10_000,
  crashTaskTimeoutMs: 10_000,
  timeScale: 1,
  restartDelayMs: 1000,
  processTimeoutMs: 45_000,
  crashTimeoutMs: 120_000,
};

/**
 * Short enough for CI. jobcount keeps the 10 s timeout, ten times its longest (scaled) map, so a
 * map is never re-issued just because the machine is busy. The crash test's 1.5 s timeout is
 * shorter than its longest stall (2 s scaled), so it exercises re-issued tasks that later finish
 * twice, not only crashed ones. Process limits stay generous: they only catch hangs.
 */
export const ciSettings: ScriptSettings = {
  name: "ci",
  taskTimeoutMs: 10_000,
  crashTaskTimeoutMs: 1500,
  timeScale: 0.2,
  restartDelayMs: 200,
  processTimeoutMs: 60_000,
  crashTimeoutMs: 120_000,
};
