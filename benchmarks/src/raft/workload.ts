/**
 * The load of the raft suite, run at the leader: proposals of fixed-size commands and the
 * commits that come back, counted and timed. The same load drives Raft and its baseline.
 */

/** Something entries are proposed to at the leader, reporting each commit in index order. */
export interface ReplicationTarget {
  /** Proposes `command`; returns its log index, or -1 when it was refused (not the leader). */
  propose(command: Uint8Array): number;
  /** Called with every committed index at the leader, in order (replaces any earlier one). */
  onCommit(listener: (index: number) => void): void;
}

export interface ThroughputResult {
  readonly entries: number;
  readonly entriesPerSecond: number;
  readonly megabytesPerSecond: number;
}

export interface LatencyResult {
  readonly samples: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Entries per second offered in the measurement window (proposals due in it, all sent). */
  readonly offeredPerSecond: number;
  /**
   * The most any measured proposal was sent after its due time, in ms: how well the load kept
   * its rate (timers fire late on a busy machine, and the load then catches up in a burst).
   */
  readonly maxLagMs: number;
}

/** `count` distinct commands of `bytes` bytes each, cycled through by the load. */
export function commandPool(bytes: number, count = 64): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => {
    const command = new Uint8Array(bytes);
    for (let j = 0; j < bytes; j++) command[j] = (i * 31 + j * 7) & 0xff;
    return command;
  });
}

function refused(): never {
  throw new Error("the leader refused a proposal: leadership changed during the measurement");
}

/**
 * Closed loop with a large window: keeps `window` proposals uncommitted at all times (the next
 * proposed as soon as one commits), and counts the commits of the `measureMs` that follow a
 * `warmupMs` warm-up.
 */
export function closedLoop(
  target: ReplicationTarget,
  commands: readonly Uint8Array[],
  options: { readonly window: number; readonly warmupMs: number; readonly measureMs: number },
): Promise<ThroughputResult> {
  const bytes = (commands[0] as Uint8Array).length;
  let next = 0;
  let outstanding = 0;
  let committed = 0;
  let counting = false;
  let stopped = false;
  const propose = () => {
    const command = commands[next++ % commands.length] as Uint8Array;
    if (target.propose(command) < 0) refused();
    outstanding++;
  };
  return new Promise((resolve, reject) => {
    target.onCommit(() => {
      outstanding--;
      if (counting) committed++;
      if (stopped) return;
      try {
        while (outstanding < options.window) propose();
      } catch (error) {
        stopped = true;
        reject(error);
      }
    });
    try {
      while (outstanding < options.window) propose();
    } catch (error) {
      reject(error);
      return;
    }
    let started = 0;
    setTimeout(() => {
      counting = true;
      committed = 0;
      started = performance.now();
      setTimeout(() => {
        counting = false;
        stopped = true;
        const seconds = (performance.now() - started) / 1000;
        const entriesPerSecond = committed / seconds;
        resolve({
          entries: committed,
          entriesPerSecond,
          megabytesPerSecond: (entriesPerSecond * bytes) / 1e6,
        });
      }, options.measureMs);
    }, options.warmupMs);
  }).then(async (result) => {
    await drain(() => outstanding === 0);
    return result as ThroughputResult;
  });
}

/**
 * Open loop at a fixed offered load: `ratePerSecond` proposals spread over time (caught up on
 * each 1 ms timer), each timed from when it was sent to its commit at the leader (a late timer's
 * delay shows in `maxLagMs`, not in the latencies: timing from the due time would mostly measure
 * the 1 ms timer grain at these rates). Proposal `k` is due `k / ratePerSecond` s after the start;
 * the ones due in the `warmupMs` warm-up are not counted, even when a late timer sends them after
 * it (classifying by the time of sending would move a catch-up burst into the window, and with it
 * the offered rate). Counted by index, so the window holds exactly the proposals due in it
 * (`offeredPerSecond` is their count over the window: the asked rate, up to rounding at its ends).
 */
export function openLoop(
  target: ReplicationTarget,
  commands: readonly Uint8Array[],
  options: {
    readonly ratePerSecond: number;
    readonly warmupMs: number;
    readonly measureMs: number;
  },
): Promise<LatencyResult> {
  /** Proposal time of each measured proposal still waiting for its commit, by log index. */
  const proposedAt = new Map<number, number>();
  /** Log indexes of warm-up proposals still waiting for their commit. */
  const warmup = new Set<number>();
  const latencies: number[] = [];
  let sent = 0;
  let measuredSent = 0;
  let maxLagMs = 0;
  target.onCommit((index) => {
    if (warmup.delete(index)) return;
    const at = proposedAt.get(index);
    if (at === undefined) return;
    proposedAt.delete(index);
    latencies.push(performance.now() - at);
  });
  const rate = options.ratePerSecond;
  const start = performance.now();
  const end = start + options.warmupMs + options.measureMs;
  // Whole-run counts from the options, not from clock differences, which can round to just
  // under the total and lose the last proposal.
  // Proposal k is due at k / rate: ceil(t × rate) of them are due before t.
  const total = Math.ceil(((options.warmupMs + options.measureMs) * rate) / 1000);
  const firstMeasured = Math.ceil((options.warmupMs * rate) / 1000);
  return new Promise<LatencyResult>((resolve, reject) => {
    const step = () => {
      const now = performance.now();
      // Due by now: every k with k / rate <= now - start.
      const due =
        now >= end ? total : Math.min(total, Math.floor(((now - start) * rate) / 1000) + 1);
      try {
        while (sent < due) {
          const at = performance.now();
          const index = target.propose(commands[sent % commands.length] as Uint8Array);
          if (index < 0) refused();
          if (sent >= firstMeasured) {
            proposedAt.set(index, at);
            measuredSent++;
            maxLagMs = Math.max(maxLagMs, at - (start + (sent * 1000) / rate));
          } else {
            warmup.add(index);
          }
          sent++;
        }
      } catch (error) {
        reject(error);
        return;
      }
      if (now < end) {
        setTimeout(step, 1);
        return;
      }
      drain(() => proposedAt.size === 0 && warmup.size === 0).then(() => {
        latencies.sort((a, b) => a - b);
        resolve({
          samples: latencies.length,
          p50Ms: percentile(latencies, 0.5),
          p99Ms: percentile(latencies, 0.99),
          offeredPerSecond: measuredSent / (options.measureMs / 1000),
          maxLagMs,
        });
      }, reject);
    };
    step();
  });
}

/** The `q` quantile of sorted `values` (nearest rank); NaN for none. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Waits (polling every few ms, for at most 30 s) until `done()`: the last commits landing. */
async function drain(done: () => boolean, timeoutMs = 30_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > until) throw new Error("proposals still uncommitted after 30 s");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
