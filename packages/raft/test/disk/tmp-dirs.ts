import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Temporary directories under the OS's temp dir, removed by `cleanup()`. */
export class TmpDirs {
  readonly #made: string[] = [];

  /** A new empty directory. */
  make(prefix = "lab-raft-disk-"): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.#made.push(dir);
    return dir;
  }

  cleanup(): void {
    for (const dir of this.#made.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}
