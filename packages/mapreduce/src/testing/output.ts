import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { ScriptCaseError } from "./script-error.js";

/**
 * The course's `sort mr-out* | grep .`: every file of `dir` whose name starts with `mr-out`,
 * concatenated, split into lines, empty lines dropped, sorted. The prefix test is as loose as
 * the shell glob on purpose: a temporary file named like an output would be caught.
 */
export async function sortedOutputLines(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((name) => name.startsWith("mr-out")).sort();
  const texts = await Promise.all(names.map((name) => readFile(join(dir, name), "utf8")));
  return texts
    .join("\n")
    .split("\n")
    .filter((line) => line !== "")
    .sort();
}

/**
 * Checks that two sorted outputs are equal.
 * @throws ScriptCaseError naming the first difference.
 */
export function expectSameLines(
  actual: readonly string[],
  expected: readonly string[],
  what: string,
): void {
  const n = Math.max(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    if (actual[i] !== expected[i]) {
      throw new ScriptCaseError(
        `${what}: ${actual.length} lines, expected ${expected.length}; first difference at sorted ` +
          `line ${i + 1}: got ${JSON.stringify(actual[i] ?? "(end)")}, expected ${JSON.stringify(expected[i] ?? "(end)")}`,
      );
    }
  }
}
