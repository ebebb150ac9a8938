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
  const missing: string[] = [];
  const reasons: string[] = [];
  const paths = files.map((file) => resolve(file));
  await Promise.all(
    files.map(async (file, i) => {
      try {
        const info = await stat(paths[i] as string);
        if (!info.isFile()) {
          missing.push(file);
          reasons.push("not a regular file");
        }
      } catch (error) {
        missing.push(file);
        reasons.push(describeFsError(error));
      }
    }),
  );
  if (missing.length > 0) throw new InputFileError(missing, reasons);
  return paths;
}

function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES") return "permission denied";
  return error instanceof Error ? error.message : String(error);
}
