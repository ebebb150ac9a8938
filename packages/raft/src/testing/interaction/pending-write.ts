import type { Message } from "../../core/messages.js";
import type { Ready } from "../../core/ready.js";
import type { StorageUpdate } from "../../storage/storage.js";

/**
 * With `async-writes=on`: a Ready's storage update handed to the storage but not yet durable.
 * Writes become durable oldest first (`sync`); a crash loses every write still pending.
 */
export interface PendingWrite {
  /** Numbers the node's writes, from 1, over all its incarnations: scripts name writes by it. */
  readonly seq: number;
  /** The Ready the update came from, reported to `core.persisted` once durable. */
  readonly ready: Ready;
  readonly update: StorageUpdate;
  /** What the update holds, as printed: `hard-state term=1 vote=0 commit=0, entries [...]`. */
  readonly description: string;
  /**
   * Messages that go out once this write (and so every earlier one) is durable: replies to
   * requests stepped before it, and the messages of a Ready that must persist before sending.
   */
  readonly waiting: Message[];
}
