/**
 * `@lab/raft/disk`: {@link DiskStorage}, the durable on-disk `Storage`, and its errors. A separate
 * entry point because it uses `node:fs`; `@lab/raft` itself has no file system code.
 *
 * @packageDocumentation
 */
export { StorageCorruptError } from "../storage/storage-errors.js";
export {
  StorageDirectoryError,
  StorageFailedError,
  StorageUsageError,
  WalCorruptError,
} from "./disk-errors.js";
export { DiskStorage, type DiskStorageOptions, type DiskStorageStats } from "./disk-storage.js";
