import { LabError } from "@lab/labgob";
import { RaftUsageError } from "../core/errors.js";
import { StorageCorruptError } from "../storage/storage-errors.js";

/**
 * A call to {@link DiskStorage} broke its contract: bad options, a malformed update, or use
 * after `close()`. It is also a `RaftUsageError`.
 */
export class StorageUsageError extends RaftUsageError {
  static override readonly code: string = "LAB_RAFT_STORAGE_USAGE";
}

/**
 * The directory given to {@link DiskStorage.open} cannot hold a storage: it is missing (and
 * `create` is off), is not a directory, holds files that are not the storage's, or is held by
 * another open storage (another process, or this one).
 */
export class StorageDirectoryError extends LabError {
  static override readonly code: string = "LAB_RAFT_STORAGE_DIRECTORY";
  /** The directory. */
  readonly dir: string;

  /** `dir` is the directory the storage was opened on. */
  constructor(message: string, dir: string, options?: { cause?: unknown }) {
    super(message, options);
    this.dir = dir;
  }
}

/**
 * Writing or syncing failed (disk full, I/O error). The storage is then broken for good: after
 * a failed fsync the kernel may have dropped the unsynced pages, so no later write is trusted.
 * Every pending and later `persist` rejects with this error; close the storage and open the
 * directory again, which recovers what was durable.
 */
export class StorageFailedError extends LabError {
  static override readonly code: string = "LAB_RAFT_STORAGE_FAILED";
}

/**
 * The write-ahead log in a directory is damaged somewhere other than a torn final write: a bad
 * record followed by valid ones, a broken segment that is not the last, a missing segment, a
 * damaged segment header or checkpoint. Recovery refuses instead of returning a partial state.
 * It is also a `StorageCorruptError`.
 */
export class WalCorruptError extends StorageCorruptError {
  static override readonly code: string = "LAB_RAFT_WAL_CORRUPT";
  /** Path of the damaged file. */
  readonly file: string;
  /** Byte offset in `file` where the damage starts. */
  readonly offset: number;

  /** `reason` says what is wrong; the message names `file` and `offset` too. */
  constructor(file: string, offset: number, reason: string, options?: { cause?: unknown }) {
    super(`${file} at byte ${offset}: ${reason}`, options);
    this.file = file;
    this.offset = offset;
  }
}
