import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { StorageDirectoryError } from "./disk-errors.js";

/** Name of the lock file in a storage directory. */
export const LOCK_NAME = "LOCK";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the directory's lock: a `LOCK` file holding the owner's process id. A lock left by a
 * process that no longer runs (killed, crashed) is taken over. Advisory: it keeps two
 * storages from writing one log by mistake, it is no defence against a determined second writer.
 * Returns the function that releases it.
 */
export async function lockDir(dir: string): Promise<() => Promise<void>> {
  const file = path.join(dir, LOCK_NAME);
  const mine = `${process.pid}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fsp.writeFile(file, mine, { flag: "wx" });
      return async () => {
        await fsp.rm(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new StorageDirectoryError(`cannot create ${file}: ${String(error)}`, dir, {
          cause: error,
        });
      }
    }
    const text = await fsp.readFile(file, "utf8").catch(() => "");
    const owner = /^(\d+)\n?$/.test(text) ? Number(text.trim()) : undefined;
    if (owner === process.pid) {
      throw new StorageDirectoryError(
        `${dir} is already open in this process (close the other DiskStorage first)`,
        dir,
      );
    }
    if (owner !== undefined && alive(owner)) {
      throw new StorageDirectoryError(`${dir} is in use by process ${owner} (${file})`, dir);
    }
    if (owner === undefined && text !== "") {
      throw new StorageDirectoryError(`${file} is not a lock this storage wrote`, dir);
    }
    // Stale (its owner is gone) or empty (its owner died while writing it): take it over.
    await fsp.rm(file, { force: true });
  }
  throw new StorageDirectoryError(`${dir}: another process took the lock while this one did`, dir);
}
