import { LabError } from "@lab/labgob";

/** Stored Raft state cannot be read back or an update does not fit it. */
export class StorageCorruptError extends LabError {
  static override readonly code: string = "LAB_RAFT_STORAGE_CORRUPT";
}
