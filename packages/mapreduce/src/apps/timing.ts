import { MapReduceUsageError } from "../errors.js";

/**
 * Environment variable that scales the sleeps of the course's test applications (1 = the
 * course's durations). Workers are separate processes, so the environment is how a test or a
 * stress run tells every worker's copy of an application how fast to go.
 */
export const TIME_SCALE_ENV = "MAPREDUCE_TIME_SCALE";

/** The current time scale: `MAPREDUCE_TIME_SCALE` if set, else 1. */
export function timeScale(): number {
  const raw = process.env[TIME_SCALE_ENV];
  if (raw === undefined || raw === "") return 1;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale < 0) {
    throw new MapReduceUsageError(`${TIME_SCALE_ENV}=${raw} is not a number >= 0`);
  }
  return scale;
}

/** Sleeps `ms` (course time) multiplied by the time scale. */
export function sleepScaled(ms: number): Promise<void> {
  const scaled = ms * timeScale();
  return new Promise((resolve) => setTimeout(resolve, scaled));
}
