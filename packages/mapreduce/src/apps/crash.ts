/**
 * The crash test's application (the course's `crash`): every `map` and `reduce` call exits the
 * process a third of the time and stalls for up to 10 s (scaled) another third. Run it only in
 * worker processes: it really calls `process.exit(1)`.
 * @module
 */
import { randomInt } from "node:crypto";
import type { KeyValue } from "../app.js";
import { crashTestPairs, joinSorted } from "./crash-outputs.js";
import { sleepScaled } from "./timing.js";

async function maybeCrash(): Promise<void> {
  const roll = randomInt(1000);
  if (roll < 330) process.exit(1);
  if (roll < 660) await sleepScaled(randomInt(10_000));
}

/** Same pairs as `nocrash`, if the process survives. */
export async function map(filename: string, contents: string): Promise<KeyValue[]> {
  await maybeCrash();
  return crashTestPairs(filename, contents);
}

/** Same result as `nocrash`, if the process survives. */
export async function reduce(_key: string, values: readonly string[]): Promise<string> {
  await maybeCrash();
  return joinSorted(values);
}
