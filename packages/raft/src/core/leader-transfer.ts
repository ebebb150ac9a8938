import type { PeerId } from "./types.js";

/**
 * How a leadership transfer ended, as the peer that started it saw it:
 * - `"completed"`: it heard from `to` as the leader of a later term;
 * - `"aborted"`: it is still the leader and gave up (no handover within the minimum election
 *   timeout, or a transfer to another peer replaced this one): it accepts proposals again;
 * - `"failed"`: it stopped leading but another peer took over, or it heard of no leader within
 *   the deadline (then the outcome is unknown to it).
 */
export type TransferOutcome = "completed" | "aborted" | "failed";

/** The end of a transfer, in the Ready after it ended. */
export interface TransferResult {
  /** The peer leadership was handed to. */
  readonly to: PeerId;
  /** The term of the leader that started the transfer. */
  readonly fromTerm: number;
  /** The term this peer was in when the transfer ended. */
  readonly term: number;
  readonly outcome: TransferOutcome;
  /** Why, in a word, for traces and logs: `new-leader`, `timeout`, `superseded`, `other-leader`, `self`, `no-leader`. */
  readonly reason: string;
}

/**
 * A leadership transfer in progress (Raft thesis §3.10): the leader stops taking proposals,
 * brings `to` up to date, then sends it TimeoutNow, on which `to` starts an election at once
 * and wins it, voters in check-quorum's lease included (the leader itself is handing over).
 */
export class LeadershipTransfer {
  readonly to: PeerId;
  /** The leader's term when the transfer started. */
  readonly fromTerm: number;
  /** Ticks since the transfer started. */
  elapsed = 0;
  /** Whether this peer still leads `fromTerm` (false once it stepped down). */
  leading = true;
  /** Ticks since it stepped down (while `leading` is false). */
  sinceStepDown = 0;
  /** TimeoutNow messages sent so far (the first one revokes the lease for the term). */
  timeoutNowSent = 0;

  constructor(to: PeerId, fromTerm: number) {
    this.to = to;
    this.fromTerm = fromTerm;
  }

  result(term: number, outcome: TransferOutcome, reason: string): TransferResult {
    return { to: this.to, fromTerm: this.fromTerm, term, outcome, reason };
  }
}
