import * as fs from "node:fs";
import * as fsp from "node:fs/promises";

/** An open file, as the I/O strategies see it. */
export interface OpenFile {
  /** Writes all of `data` at `position`. */
  write(data: Uint8Array, position: number): Promise<void>;
  /** fdatasync when the policy is durable, else nothing. */
  sync(): Promise<void>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * How the storage talks to the file system. `async` uses `fs/promises` (the libuv thread pool:
 * the event loop runs during a write or fsync, so persists issued meanwhile join the next
 * batch); `sync` uses the blocking calls (no thread-pool hops, but the process waits for each
 * fsync). Both return promises, so the storage has one code path.
 */
export interface FileIo {
  /** Opens `path` with `flags` (`"r+"`, `"wx"`). */
  open(path: string, flags: string): Promise<OpenFile>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Makes renames and unlinks in `dir` durable (a no-op when not durable or on Windows). */
  syncDir(dir: string): Promise<void>;
}

/** Whether syncs happen, and which one. */
export interface SyncPolicy {
  readonly durable: boolean;
}

const canSyncDirs = process.platform !== "win32";

/** File I/O through `fs/promises`. */
export function asyncIo(policy: SyncPolicy): FileIo {
  const wrap = (h: fsp.FileHandle): OpenFile => ({
    async write(data, position) {
      let done = 0;
      while (done < data.length) {
        const { bytesWritten } = await h.write(data, done, data.length - done, position + done);
        done += bytesWritten;
      }
    },
    async sync() {
      if (policy.durable) await h.datasync();
    },
    truncate: (length) => h.truncate(length),
    close: () => h.close(),
  });
  return {
    open: async (path, flags) => wrap(await fsp.open(path, flags)),
    rename: (from, to) => fsp.rename(from, to),
    unlink: (path) => fsp.unlink(path),
    async syncDir(dir) {
      if (!policy.durable || !canSyncDirs) return;
      const h = await fsp.open(dir, "r");
      try {
        await h.sync();
      } finally {
        await h.close();
      }
    },
  };
}

/** Runs a blocking call, turning its outcome into a promise. */
function now<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error);
  }
}

function syncDirNow(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** File I/O through the blocking `fs` calls. */
export function syncIo(policy: SyncPolicy): FileIo {
  const wrap = (fd: number): OpenFile => ({
    write: (data, position) =>
      now(() => {
        let done = 0;
        while (done < data.length) {
          done += fs.writeSync(fd, data, done, data.length - done, position + done);
        }
      }),
    sync: () => now(() => (policy.durable ? fs.fdatasyncSync(fd) : undefined)),
    truncate: (length) => now(() => fs.ftruncateSync(fd, length)),
    close: () => now(() => fs.closeSync(fd)),
  });
  return {
    open: (path, flags) => now(() => wrap(fs.openSync(path, flags))),
    rename: (from, to) => now(() => fs.renameSync(from, to)),
    unlink: (path) => now(() => fs.unlinkSync(path)),
    syncDir: (dir) => now(() => (policy.durable && canSyncDirs ? syncDirNow(dir) : undefined)),
  };
}
