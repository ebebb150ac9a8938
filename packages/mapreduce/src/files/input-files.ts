import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { InputFileError, MapReduceUsageError } from "../errors.js";

/**
 * Checks that every input file exists and is a regular file, and returns their absolute paths
 * (in the same order). Every problem is reported at once, in one `InputFileError`, so a typo in
 * one of many paths is found before any work starts.
 */
export async function resolveInputFiles(files: readonly string[]): Promise<string[]> {
  if (files.length === 0) throw new MapReduceUsageError("no input files");
  const paths = files.map((file) => resolve(file));
  // Checked concurrently, reported in the order given (stat calls finish in any order).
  const problems = await Promise.all(
    paths.map(async (path): Promise<string | undefined> => {
      try {
        return (await stat(path)).isFile() ? undefined : "not a regular file";
      } catch (error) {
        return describeFsError(error);
      }
    }),
  );
  const missing = files.filter((_, i) => problems[i] !== undefined);
  const reasons = problems.filter((p): p is string => p !== undefined);
  if (missing.length > 0) throw new InputFileError(missing, reasons);
  return paths;
}

function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES") return "permission denied";
  return error instanceof Error ? error.message : String(error);
}
