import type { Value } from "@lab/labgob";
import type { ReadIndexResult } from "../../src/index.js";
import type { RaftCluster } from "../../src/testing/index.js";
import { BackgroundTasks } from "../../src/testing/scenarios/helpers/background-tasks.js";

// Writers and readers on a RaftCluster, and the linearizability checks of reads without a log
// entry (ReadIndex and lease reads):
// 1. a completed read's index is at least the commit index any peer had reached when the read
//    was issued (so it misses no write that could have completed before it);
// 2. served once the peer applied through that index, it sees every write acknowledged before
//    the read started: the write's index is at most the read's, and the peer applied that very
//    write there;
// 3. a read issued after another completed is served at an index at least as high.
// Every violation fails the run through `cluster.fail`, whose message names the seed.

/** A write the workload saw applied: acknowledged to its client at `ackedAt`. */
interface AckedWrite {
  readonly value: string;
  readonly index: number;
  readonly ackedAt: number;
}

/** What the readers saw. */
export interface ReadStats {
  ok: number;
  notLeader: number;
  steppedDown: number;
  killed: number;
  /** Completed reads per peer (to tell which peers served reads). */
  readonly okByPeer: number[];
}

export function emptyStats(n: number): ReadStats {
  return { ok: 0, notLeader: 0, steppedDown: 0, killed: 0, okByPeer: new Array(n).fill(0) };
}

/** A read in flight or done, for checks that follow a scenario (see `onRead`). */
export interface ReadRecord {
  readonly peer: number;
  readonly issuedAt: number;
  readonly doneAt: number;
  readonly result: ReadIndexResult;
}

export interface WorkloadOptions {
  readonly writers: number;
  readonly readers: number;
  /** Pause between two operations of one client, in virtual ms. */
  readonly pauseMs: number;
  /** How many of the readers ask random peers (the others ask the peer that leads, if any). */
  readonly randomReaders?: number;
  /** Called with every read once it resolved (after the checks passed). */
  readonly onRead?: (read: ReadRecord) => void;
}

/**
 * Runs writers and readers until `stop()` is called. Writes are unique strings; a write is
 * acknowledged once some peer applied it at the index `start` returned.
 */
export class ReadWorkload {
  readonly stats: ReadStats;
  readonly #c: RaftCluster;
  readonly #options: WorkloadOptions;
  readonly #acked: AckedWrite[] = [];
  readonly #writers = new BackgroundTasks();
  readonly #readers = new BackgroundTasks();
  #stopped = false;
  #writersStopped = false;
  #nextValue = 0;
  /** The highest index of a read completed so far (check 3). */
  #maxCompleted = 0;

  constructor(c: RaftCluster, options: WorkloadOptions) {
    this.#c = c;
    this.#options = options;
    this.stats = emptyStats(c.n);
  }

  start(): void {
    for (let w = 0; w < this.#options.writers; w++) this.#writers.spawn(() => this.#writer(w));
    const random = this.#options.randomReaders ?? 0;
    for (let r = 0; r < this.#options.readers; r++) {
      this.#readers.spawn(() => this.#reader(r < random));
    }
  }

  /** Rethrows the first failed check at once (the scenario need not wait for the end). */
  throwIfFailed(): void {
    this.#readers.throwIfFailed();
    this.#writers.throwIfFailed();
  }

  /**
   * Stops the clients, waits for them, and rethrows the first failed check. Readers stop
   * first: a leader that has not committed in its term holds reads until a write of its term
   * commits (no no-op on election), so writes go on until the last read is answered.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#readers.join();
    this.#writersStopped = true;
    await this.#writers.join();
  }

  get acknowledgedWrites(): number {
    return this.#acked.length;
  }

  async #writer(w: number): Promise<void> {
    const c = this.#c;
    while (!this.#writersStopped) {
      const value = `w${w}-${this.#nextValue++}`;
      const leader = this.#findLeader();
      const r = leader === undefined ? undefined : c.rafts[leader]?.start(value);
      if (r?.isLeader) {
        // Acknowledged once a peer applied it there; given up (outcome unknown) after 2 s or
        // once the peer no longer leads that term.
        const deadline = c.sim.now() + 2000;
        const stillLeads = () => {
          const s = c.rafts[leader as number]?.getState();
          return s?.isLeader === true && s.term === r.term;
        };
        while (!this.#writersStopped && c.sim.now() < deadline && stillLeads()) {
          const { count, command } = c.nCommitted(r.index);
          if (count > 0) {
            if (command === value) {
              this.#acked.push({ value, index: r.index, ackedAt: c.sim.now() });
            }
            break;
          }
          await c.sim.sleep(5);
        }
      }
      await c.sim.sleep(this.#options.pauseMs);
    }
  }

  async #reader(randomPeers: boolean): Promise<void> {
    const c = this.#c;
    while (!this.#stopped) {
      const peer = randomPeers ? c.random.int(c.n) : this.#findLeader();
      if (peer !== undefined && c.rafts[peer] !== undefined) await this.#readOnce(peer);
      await c.sim.sleep(this.#options.pauseMs);
    }
  }

  async #readOnce(peer: number): Promise<void> {
    const c = this.#c;
    const issuedAt = c.sim.now();
    const floor = c.maxCommitIndex();
    const ackedBefore = this.#acked.length;
    const completedBefore = this.#maxCompleted;
    const result = await c.readIndex(peer, { waitForApply: true });
    const doneAt = c.sim.now();
    if (result.ok) {
      const where = `read at peer ${peer} issued at ${issuedAt} ms, served at index ${result.index}`;
      if (result.index < floor) {
        c.fail(`${where}: below the commit index ${floor} a peer had reached when it was issued`);
      }
      if (result.index < completedBefore) {
        c.fail(`${where}: below index ${completedBefore} of a read completed before it`);
      }
      const applied = c.logs[peer] as Map<number, Value>;
      for (let k = 0; k < ackedBefore; k++) {
        const w = this.#acked[k] as AckedWrite;
        if (w.index > result.index) {
          c.fail(
            `${where}: misses write ${w.value} at index ${w.index}, acknowledged at ${w.ackedAt} ms`,
          );
        }
        if (applied.get(w.index) !== w.value) {
          c.fail(
            `${where}: peer applied ${String(applied.get(w.index))} at ${w.index}, not ${w.value}`,
          );
        }
      }
      if (result.index > this.#maxCompleted) this.#maxCompleted = result.index;
      this.stats.ok++;
      this.stats.okByPeer[peer] = (this.stats.okByPeer[peer] ?? 0) + 1;
    } else if (result.reason === "not-leader") {
      this.stats.notLeader++;
    } else if (result.reason === "stepped-down") {
      this.stats.steppedDown++;
    } else {
      this.stats.killed++;
    }
    this.#options.onRead?.({ peer, issuedAt, doneAt, result });
  }

  /** A connected peer that believes it leads (the highest term's), if any. */
  #findLeader(): number | undefined {
    const c = this.#c;
    let best: number | undefined;
    let bestTerm = -1;
    for (let i = 0; i < c.n; i++) {
      const s = c.rafts[i]?.getState();
      if (c.connected[i] && s?.isLeader && s.term > bestTerm) {
        best = i;
        bestTerm = s.term;
      }
    }
    return best;
  }
}
