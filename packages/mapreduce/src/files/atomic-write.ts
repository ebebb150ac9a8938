import { randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Writes `data` to `path` so that readers see either no file or the whole file, never a prefix:
 * the data goes to a temporary file in the same directory, which is then renamed over `path`
 * (a rename within one file system is atomic). A crashed task leaves only its temporary file; a
 * duplicate task replaces the file with an identical one.
 *
 * The temporary name starts with a dot and does not start with the target's name, so it never
 * matches `mr-out*` (the course's script globs output files that way) or `mr-X-Y`.
 *
 * There is no fsync: the failures the lab models are crashed processes, not crashed machines,
 * and a process crash cannot lose data the kernel already has.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = join(
    dirname(path),
    `.tmp-${basename(path)}-${process.pid}-${randomBytes(4).toString("hex")}`,
  );
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
