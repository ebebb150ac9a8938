/**
 * How the leader replicates to one follower (after etcd-io/raft's Progress):
 * - `probe`: the follower's log position is unknown; one AppendEntries at a time, retried on
 *   each heartbeat, until a reply tells where the logs agree.
 * - `replicate`: the logs agree up to `match`; entries are streamed optimistically, `next`
 *   advancing as they are sent, with at most `maxInflight` messages unacknowledged.
 * - `snapshot`: the follower needs entries the leader compacted; an InstallSnapshot is in flight.
 */
export type ProgressState = "probe" | "replicate" | "snapshot";

export class Progress {
  state: ProgressState = "probe";
  /** Highest index known to be replicated on the follower. */
  match = 0;
  /** Next index to send. Always `> match`. */
  next: number;
  /** In `probe` and `snapshot`: a message is in flight, wait for its reply or a heartbeat. */
  paused = false;
  /** Last indexes of unacknowledged AppendEntries in `replicate`, oldest first. */
  readonly inflight: number[] = [];
  /**
   * Heartbeats since the follower last acknowledged something new (to resend a lost stream or
   * snapshot). Replies that acknowledge nothing new, as to a heartbeat, do not count.
   */
  silentHeartbeats = 0;
  /** Whether the follower answered since the last election-timeout check (check-quorum). */
  recentlyActive = false;
  /** The highest read context the follower echoed in this term (see `ReadOnly`). */
  readContext = 0;

  constructor(next: number) {
    this.next = next;
  }

  becomeProbe(): void {
    this.state = "probe";
    this.paused = false;
    this.inflight.length = 0;
    this.next = Math.max(this.next, this.match + 1);
  }

  becomeReplicate(): void {
    this.state = "replicate";
    this.paused = false;
    this.inflight.length = 0;
    this.next = this.match + 1;
  }

  becomeSnapshot(): void {
    this.state = "snapshot";
    this.paused = true;
    this.inflight.length = 0;
  }

  /** Records an acknowledgement up to `index`; true when it moved `match`. */
  acknowledge(index: number): boolean {
    this.recentlyActive = true;
    const inflight = this.inflight.length;
    while (this.inflight.length > 0 && (this.inflight[0] as number) <= index) this.inflight.shift();
    // A heartbeat's reply says nothing about the entries in flight: if it reset the count, a
    // lost AppendEntries would never be noticed while the follower answers heartbeats.
    if (this.inflight.length < inflight || index > this.match) this.silentHeartbeats = 0;
    if (index <= this.match) return false;
    this.match = index;
    this.next = Math.max(this.next, index + 1);
    return true;
  }

  /** Whether a new AppendEntries with entries may be sent now. */
  canSend(maxInflight: number): boolean {
    if (this.state === "replicate") return this.inflight.length < maxInflight;
    return !this.paused;
  }
}
