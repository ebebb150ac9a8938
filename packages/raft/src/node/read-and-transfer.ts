import type { ReadRequestId } from "../core/read-only.js";
import type { PeerId } from "../core/types.js";

/**
 * The answer to {@link RaftNode.readIndex}. With `ok`, the read is linearizable once the
 * service has applied the log through `index` (with `waitForApply`, it already has).
 * Otherwise, why not:
 * - `"not-leader"`: this peer does not lead (ask the leader);
 * - `"stepped-down"`: it stopped leading before it could confirm the read (retry on the new
 *   leader);
 * - `"killed"`: the node was killed.
 */
export type ReadIndexResult =
  | { readonly ok: true; readonly index: number }
  | { readonly ok: false; readonly reason: "not-leader" | "stepped-down" | "killed" };

/** Options of {@link RaftNode.readIndex}. */
export interface ReadIndexOptions {
  /**
   * Resolve only once the service's `apply` has returned (and its promise resolved) for every
   * entry through the read's index, so the service's state can be read at once. Default `false`.
   */
  readonly waitForApply?: boolean;
}

/**
 * The answer to {@link RaftNode.transferLeadership}:
 * - `ok`: `to` leads `term` (this peer heard from it);
 * - `"not-leader"`: this peer did not lead, nothing was started;
 * - `"aborted"`: this peer is still the leader and gave up (no handover within the minimum
 *   election timeout, or a transfer to another peer replaced it); it accepts proposals again;
 * - `"failed"`: this peer stopped leading, but another peer took over, or it heard of no leader
 *   in time (the outcome is then unknown to it);
 * - `"killed"`: the node was killed.
 */
export type TransferLeadershipResult =
  | { readonly ok: true; readonly term: number }
  | {
      readonly ok: false;
      readonly reason: "not-leader" | "aborted" | "failed" | "killed";
    };

/** A read the node waits on: its promise's resolver, and whether it waits for the apply loop. */
export interface PendingNodeRead {
  readonly id: ReadRequestId;
  readonly waitForApply: boolean;
  readonly resolve: (result: ReadIndexResult) => void;
}

/** A transfer the node waits on: its target, the term it started in, and its resolver. */
export interface PendingNodeTransfer {
  readonly to: PeerId;
  readonly fromTerm: number;
  readonly resolve: (result: TransferLeadershipResult) => void;
}

interface ApplyWaiter {
  readonly index: number;
  readonly resolve: (result: ReadIndexResult) => void;
}

/** Reads whose index is confirmed, waiting for the apply loop to hand that index over. */
export class ApplyWaiters {
  /** Sorted by index, so each apply resolves from the front. */
  readonly #waiting: ApplyWaiter[] = [];

  /** Waits until `applied` reaches `index` (at once if it has). */
  add(index: number, applied: number, resolve: (result: ReadIndexResult) => void): void {
    if (index <= applied) {
      resolve({ ok: true, index });
      return;
    }
    // Reads come back in index order almost always: insert from the back.
    let at = this.#waiting.length;
    while (at > 0 && (this.#waiting[at - 1] as ApplyWaiter).index > index) at--;
    this.#waiting.splice(at, 0, { index, resolve });
  }

  /** The apply loop handed over everything through `applied`. */
  appliedThrough(applied: number): void {
    let n = 0;
    while (n < this.#waiting.length && (this.#waiting[n] as ApplyWaiter).index <= applied) {
      const w = this.#waiting[n] as ApplyWaiter;
      w.resolve({ ok: true, index: w.index });
      n++;
    }
    if (n > 0) this.#waiting.splice(0, n);
  }

  /** The node was killed. */
  failAll(): void {
    for (const w of this.#waiting) w.resolve({ ok: false, reason: "killed" });
    this.#waiting.length = 0;
  }
}
