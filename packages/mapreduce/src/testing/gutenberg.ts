import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { MapReduceUsageError } from "../errors.js";

/**
 * The course's 8 input texts, `pg-*.txt`, sorted: from `dir` if given, else
 * `$LAB_SHARED_DIR/data/gutenberg/`, else the first `shared/data/gutenberg/` found walking up
 * from this module (the repository's `shared/` sits beside it; searching rather than using a
 * fixed relative path keeps this working from the sources and from any bundle).
 * @throws MapReduceUsageError when the directory holds no `pg-*.txt`.
 */
export function gutenbergFiles(dir?: string): string[] {
  const shared = process.env.LAB_SHARED_DIR;
  const where = dir ?? (shared ? join(shared, "data", "gutenberg") : findUpwards());
  const files = existsSync(where)
    ? readdirSync(where).filter((name) => /^pg-.*\.txt$/.test(name))
    : [];
  if (files.length === 0) {
    throw new MapReduceUsageError(
      `no pg-*.txt input texts in ${where}; set LAB_SHARED_DIR to the shared/ directory or pass the directory`,
    );
  }
  return files.sort().map((name) => join(where, name));
}

function findUpwards(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, "shared", "data", "gutenberg");
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return join(start, "shared", "data", "gutenberg");
  }
}
