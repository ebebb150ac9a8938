/**
 * The simulated network's fault parameters. The defaults reproduce the figures of the course's
 * labrpc (see LAB-TESTS.md §1.1); they are grouped here so that every decision the network makes
 * about delays and losses is visible in one place.
 */
export interface FaultModel {
  /**
   * Reliable mode: every request is first delayed by a uniform `[0, max]` ms (default 0, as in the
   * course: delivery in the same instant). A little latency lets a crash catch messages in
   * flight, which some scenarios need to reach the states they are about (Raft's Figure 8).
   */
  readonly reliableDelayMaxMs: number;
  /** Unreliable mode: every request is first delayed by a uniform `[0, max]` ms. */
  readonly unreliableDelayMaxMs: number;
  /** Unreliable mode: probability (per mille) that a request is lost before the handler runs. */
  readonly requestDropPerMille: number;
  /** Unreliable mode: probability (per mille) that a reply is lost after the handler ran. */
  readonly replyDropPerMille: number;
  /** A call to a disabled end or a missing server fails after a uniform `[0, max]` ms... */
  readonly unreachableDelayMaxMs: number;
  /** ...or, with long delays on (the Raft tests), after a uniform `[0, max]` ms. */
  readonly longUnreachableDelayMaxMs: number;
  /** Long reordering: probability, as `numerator / denominator`, that a reply is held back. */
  readonly reorderNumerator: number;
  readonly reorderDenominator: number;
  /** A held reply waits `base + uniform[0, uniform[0, spread]]` ms. */
  readonly reorderBaseMs: number;
  readonly reorderSpreadMs: number;
}

/** The course's figures: 0-26 ms jitter, 10% request and reply loss, 0-100 ms or 0-7 s to fail. */
export const courseFaultModel: FaultModel = Object.freeze({
  reliableDelayMaxMs: 0,
  unreliableDelayMaxMs: 26,
  requestDropPerMille: 100,
  replyDropPerMille: 100,
  unreachableDelayMaxMs: 100,
  longUnreachableDelayMaxMs: 7000,
  reorderNumerator: 600,
  reorderDenominator: 900,
  reorderBaseMs: 200,
  reorderSpreadMs: 2000,
});
