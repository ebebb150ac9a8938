import { field, message, type Value } from "@lab/labgob";
import {
  type ClientEnd,
  type FaultModel,
  MemoryTracer,
  Network,
  RpcServer,
  Simulator,
  type Tracer,
} from "@lab/labrpc";
import type { ApplyMsg } from "../node/apply-msg.js";
import type { RaftTuning } from "../node/raft-node.js";
import type {
  ReadIndexOptions,
  ReadIndexResult,
  TransferLeadershipResult,
} from "../node/read-and-transfer.js";
import { Persister } from "../storage/persister.js";
import { makeLabRaftPeer, type RaftPeer, type RaftPeerFactory } from "./raft-peer.js";
import { ScenarioFailure, settleScenario } from "./scenario-failure.js";

/** Settings of a simulated Raft cluster, as the course's `make_config`. */
export interface RaftClusterOptions {
  /** Number of peers. */
  readonly n: number;
  /** Seed of the whole run: network, timeouts, workload. */
  readonly seed: number;
  /** Lossy network (the course's `unreliable`). */
  readonly unreliable?: boolean;
  /** Check applies as the course's `applierSnap` and snapshot every `snapshotInterval` entries. */
  readonly snapshot?: boolean;
  /** Entries between snapshots in snapshot mode (the course: 10). */
  readonly snapshotInterval?: number;
  /** Collect a JSON-lines trace of the run (time, node, term, role, kind, details). */
  readonly trace?: boolean | Tracer;
  /** Tick length of this package's Raft (ignored with a custom `peerFactory`). */
  readonly tickMs?: number;
  /** Timing and batching of this package's Raft (ignored with a custom `peerFactory`). */
  readonly tuning?: RaftTuning;
  /**
   * A slow disk for this package's Raft (ignored with a custom `peerFactory`): each persist
   * becomes durable 0 to this many milliseconds later, in order, and is lost if its peer
   * crashes first (`DelayedSyncStorage`). Default: durable at once, as the Persister.
   */
  readonly syncDelayMs?: number;
  /**
   * Makes the peers: this package's Raft by default; pass your own to run the course's
   * scenarios against your Raft.
   */
  readonly peerFactory?: RaftPeerFactory;
  /** Network fault figures beyond the course's defaults (for example latency when reliable). */
  readonly faults?: Partial<FaultModel>;
}

/** Snapshot contents of the harness's service: the last index and every command up to it. */
const HarnessSnapshot = message("HarnessSnapshot", {
  lastIncludedIndex: field.uint(1),
  log: field.repeated(field.value(), 2),
});

/**
 * The course's Raft tester, on the deterministic simulator: `n` peers on a simulated network
 * with long delays, each restartable with its persister kept, partitions by connecting and
 * disconnecting peers, and the course's checks. Every check throws {@link ScenarioFailure},
 * whose message names the seed that replays the run.
 *
 * Scenario code runs inside {@link run}, which drives the simulator until it finishes.
 */
export class RaftCluster {
  readonly n: number;
  readonly seed: number;
  readonly sim: Simulator;
  readonly net: Network;
  readonly tracer: Tracer | undefined;
  readonly rafts: (RaftPeer | undefined)[];
  readonly persisters: (Persister | undefined)[];
  readonly connected: boolean[];
  /** Per peer, the commands it applied, by index (the course's `logs`). */
  readonly logs: Map<number, Value>[];
  readonly lastApplied: number[];
  readonly #endNames: string[][];
  readonly #options: RaftClusterOptions;
  readonly #peerFactory: RaftPeerFactory;
  readonly #snapshotInterval: number;
  readonly #random;
  #applyError: string | undefined;
  #maxIndex = 0;
  #endSerial = 0;
  #fatal: { peer: number; error: unknown } | undefined;
  #fatalAt = 0;
  /** The highest commit index of a peer when it was crashed (see {@link maxCommitIndex}). */
  #crashedCommit = 0;

  constructor(options: RaftClusterOptions) {
    this.n = options.n;
    this.seed = options.seed;
    this.#options = options;
    this.#snapshotInterval = options.snapshotInterval ?? 10;
    this.#peerFactory =
      options.peerFactory ??
      makeLabRaftPeer({
        ...(options.tickMs !== undefined ? { tickMs: options.tickMs } : {}),
        ...(options.tuning !== undefined ? { tuning: options.tuning } : {}),
        ...(options.syncDelayMs !== undefined ? { syncDelayMs: options.syncDelayMs } : {}),
      });
    this.tracer = options.trace === true ? new MemoryTracer() : options.trace || undefined;
    this.sim = new Simulator({
      seed: options.seed,
      ...(this.tracer ? { tracer: this.tracer } : {}),
    });
    this.#random = this.sim.random.fork("harness");
    this.net = new Network(this.sim, {
      longDelays: true,
      reliable: !options.unreliable,
      ...(options.faults ? { faults: options.faults } : {}),
    });
    this.rafts = new Array(this.n).fill(undefined);
    this.persisters = new Array(this.n).fill(undefined);
    this.connected = new Array(this.n).fill(false);
    this.logs = Array.from({ length: this.n }, () => new Map());
    this.lastApplied = new Array(this.n).fill(0);
    this.#endNames = Array.from({ length: this.n }, () => []);
    for (let i = 0; i < this.n; i++) this.start1(i);
    for (let i = 0; i < this.n; i++) this.connect(i);
  }

  /** Runs a scenario to completion in virtual time; rethrows its failure with the seed. */
  async run(scenario: (cluster: this) => Promise<void>): Promise<void> {
    const body = (async () => {
      await scenario(this);
      this.#checkApplyError();
      this.#checkFatal();
    })();
    try {
      await settleScenario(this.sim, body, 10 * 60_000);
    } finally {
      this.cleanup();
    }
  }

  /** Stops every peer and the network. */
  cleanup(): void {
    for (const r of this.rafts) r?.kill();
    this.net.cleanup();
  }

  /**
   * A scenario failure at the current virtual time, naming the seed. A peer that stopped on an
   * internal error earlier is usually why a check failed, so its error is named too.
   */
  fail(message: string): never {
    const fatal = this.#fatalMessage();
    const why = fatal === undefined ? "" : ` (earlier, ${fatal})`;
    throw new ScenarioFailure(this.seed, this.sim.now(), `${message}${why}`);
  }

  /** Random stream for scenario decisions (independent of the network's and the peers'). */
  get random() {
    return this.#random;
  }

  // ---------------------------------------------------------------------------------------
  // Peers

  /** Crashes peer `i` (if running) and starts a fresh one from a copy of its persister. */
  start1(i: number): void {
    this.crash1(i);
    // Fresh end names, so the old instance's ends can no longer send.
    const ends: (ClientEnd | undefined)[] = [];
    this.#endNames[i] = [];
    for (let j = 0; j < this.n; j++) {
      const name = `e${i}-${j}-${this.#endSerial++}`;
      this.#endNames[i]![j] = name;
      ends[j] = this.net.makeEnd(name);
      this.net.connect(name, `s${j}`);
    }
    const persister =
      this.persisters[i] === undefined ? new Persister() : (this.persisters[i] as Persister).copy();
    this.persisters[i] = persister;
    this.lastApplied[i] = 0;
    if (persister.snapshotSize() > 0) {
      // As the course's tester: the service restores from the snapshot itself.
      const snap = HarnessSnapshot.decode(persister.readSnapshot());
      this.#ingestSnapshot(i, snap.lastIncludedIndex, snap.log);
    }
    const raft = this.#peerFactory({
      peers: ends,
      me: i,
      persister,
      clock: this.sim,
      random: this.sim.random.fork(`raft-${i}-${this.#endSerial}`),
      apply: (msg) => this.#applied(i, msg),
      ...(this.tracer ? { tracer: this.tracer } : {}),
      onFatal: (error) => {
        if (this.#fatal === undefined) {
          this.#fatal = { peer: i, error };
          this.#fatalAt = this.sim.now();
        }
      },
    });
    this.rafts[i] = raft;
    const server = new RpcServer();
    raft.register(server);
    this.net.addServer(`s${i}`, server);
    this.sim.trace("harness.start", { node: String(i) });
  }

  /** Kills peer `i`, keeping a copy of what it persisted. */
  crash1(i: number): void {
    this.disconnect(i);
    this.net.deleteServer(`s${i}`);
    const old = this.persisters[i];
    if (old !== undefined) this.persisters[i] = old.copy();
    const raft = this.rafts[i];
    if (raft !== undefined) {
      this.#crashedCommit = Math.max(this.#crashedCommit, raft.status?.().commit ?? 0);
      raft.kill();
      this.rafts[i] = undefined;
      this.sim.trace("harness.crash", { node: String(i) });
    }
  }

  /** Reconnects peer `i` to the peers that are connected. */
  connect(i: number): void {
    this.connected[i] = true;
    for (let j = 0; j < this.n; j++) {
      if (this.connected[j]) {
        const out = this.#endNames[i]?.[j];
        if (out !== undefined) this.net.enable(out, true);
        const inbound = this.#endNames[j]?.[i];
        if (inbound !== undefined) this.net.enable(inbound, true);
      }
    }
    this.sim.trace("harness.connect", { node: String(i) });
  }

  /** Cuts peer `i` off from everyone. */
  disconnect(i: number): void {
    this.connected[i] = false;
    for (let j = 0; j < this.n; j++) {
      const out = this.#endNames[i]?.[j];
      if (out !== undefined && this.#endExists(out)) this.net.enable(out, false);
      const inbound = this.#endNames[j]?.[i];
      if (inbound !== undefined && this.#endExists(inbound)) this.net.enable(inbound, false);
    }
    this.sim.trace("harness.disconnect", { node: String(i) });
  }

  setUnreliable(unreliable: boolean): void {
    this.net.setReliable(!unreliable);
  }

  setLongReordering(on: boolean): void {
    this.net.setLongReordering(on);
  }

  // ---------------------------------------------------------------------------------------
  // Checks (the course's)

  /** Waits for exactly one leader among connected peers; returns it (highest term wins). */
  async checkOneLeader(): Promise<number> {
    for (let iter = 0; iter < 10; iter++) {
      await this.sim.sleep(450 + this.#random.int(100));
      const byTerm = new Map<number, number[]>();
      for (let i = 0; i < this.n; i++) {
        if (!this.connected[i]) continue;
        const state = this.rafts[i]?.getState();
        if (state?.isLeader) byTerm.set(state.term, [...(byTerm.get(state.term) ?? []), i]);
      }
      let lastTerm = -1;
      for (const [term, leaders] of byTerm) {
        if (leaders.length > 1)
          this.fail(`term ${term} has ${leaders.length} (>1) leaders: ${leaders.join(", ")}`);
        if (term > lastTerm) lastTerm = term;
      }
      if (byTerm.size > 0) return (byTerm.get(lastTerm) as number[])[0] as number;
    }
    return this.fail("expected one leader, got none");
  }

  /** All connected peers agree on the term; returns it. */
  checkTerms(): number {
    let term = -1;
    for (let i = 0; i < this.n; i++) {
      if (!this.connected[i]) continue;
      const t = this.rafts[i]?.getState().term ?? -1;
      if (term === -1) term = t;
      else if (t !== term) this.fail(`servers disagree on term: ${term} and ${t}`);
    }
    return term;
  }

  /** No connected peer thinks it is the leader. */
  checkNoLeader(): void {
    for (let i = 0; i < this.n; i++) {
      if (this.connected[i] && this.rafts[i]?.getState().isLeader) {
        this.fail(`expected no leader among connected servers, but ${i} claims to be leader`);
      }
    }
  }

  /** How many peers applied `index`, and the command (all must agree). */
  nCommitted(index: number): { count: number; command: Value | undefined } {
    this.#checkApplyError();
    // As the course's applier errors, a peer's internal error ends the run at once, rather
    // than as an agreement that times out many seconds later.
    this.#checkFatal();
    let count = 0;
    let command: Value | undefined;
    for (let i = 0; i < this.n; i++) {
      const log = this.logs[i] as Map<number, Value>;
      if (!log.has(index)) continue;
      const c = log.get(index) as Value;
      if (count > 0 && !sameValue(command as Value, c)) {
        this.fail(
          `committed values do not match: index ${index}, ${show(command as Value)}, ${show(c)}`,
        );
      }
      count++;
      command = c;
    }
    return { count, command };
  }

  /**
   * The course's `one()`: submits `command` to whichever peer accepts it and waits until at
   * least `expectedServers` peers applied it; retries (for up to 10 s) if `retry`.
   */
  async one(command: Value, expectedServers: number, retry: boolean): Promise<number> {
    const t0 = this.sim.now();
    let starts = 0;
    while (this.sim.now() - t0 < 10_000) {
      let index = -1;
      for (let si = 0; si < this.n; si++) {
        starts = (starts + 1) % this.n;
        if (!this.connected[starts]) continue;
        const raft = this.rafts[starts];
        if (raft === undefined) continue;
        const r = raft.start(command);
        if (r.isLeader) {
          index = r.index;
          break;
        }
      }
      if (index !== -1) {
        const t1 = this.sim.now();
        while (this.sim.now() - t1 < 2000) {
          const { count, command: got } = this.nCommitted(index);
          if (count > 0 && count >= expectedServers && sameValue(got as Value, command))
            return index;
          await this.sim.sleep(20);
        }
        if (!retry) this.fail(`one(${show(command)}) failed to reach agreement`);
      } else {
        await this.sim.sleep(50);
      }
    }
    return this.fail(`one(${show(command)}) failed to reach agreement`);
  }

  /**
   * The course's `wait()`: waits for `index` to be applied by `n` peers; returns its command,
   * or `undefined` when some peer's term moved past `startTerm` (the entry may be lost).
   */
  async wait(index: number, n: number, startTerm: number): Promise<Value | undefined> {
    let to = 10;
    for (let iter = 0; iter < 30; iter++) {
      const { count } = this.nCommitted(index);
      if (count >= n) break;
      await this.sim.sleep(to);
      if (to < 1000) to *= 2;
      if (startTerm > -1) {
        for (const r of this.rafts) {
          if (r !== undefined && r.getState().term > startTerm) return undefined;
        }
      }
    }
    const { count, command } = this.nCommitted(index);
    if (count < n) this.fail(`only ${count} decided for index ${index}; wanted ${n}`);
    return command;
  }

  // ---------------------------------------------------------------------------------------
  // Reads and leadership transfer (beyond the course; need peers that offer them)

  /**
   * A linearizable read at peer `i` (ReadIndex, see `RaftNode.readIndex`): resolves with the
   * index to serve it at, or why not; `killed` when peer `i` is not running.
   */
  readIndex(i: number, options?: ReadIndexOptions): Promise<ReadIndexResult> {
    const raft = this.rafts[i];
    if (raft === undefined) return Promise.resolve({ ok: false, reason: "killed" });
    if (raft.readIndex === undefined) this.fail(`peer ${i} does not offer readIndex`);
    return raft.readIndex(options);
  }

  /** Asks peer `i` to hand leadership to `to` (see `RaftNode.transferLeadership`). */
  transferLeadership(i: number, to: number): Promise<TransferLeadershipResult> {
    const raft = this.rafts[i];
    if (raft === undefined) return Promise.resolve({ ok: false, reason: "killed" });
    if (raft.transferLeadership === undefined) {
      this.fail(`peer ${i} does not offer transferLeadership`);
    }
    return raft.transferLeadership(to);
  }

  /**
   * The highest commit index any peer has reached, as far as the harness can see: the running
   * peers' now, and each crashed peer's when it was crashed. A read issued now must be served
   * at this index or later.
   */
  maxCommitIndex(): number {
    let max = this.#crashedCommit;
    this.rafts.forEach((raft, i) => {
      if (raft === undefined) return;
      if (raft.status === undefined) this.fail(`peer ${i} does not offer status`);
      max = Math.max(max, raft.status().commit);
    });
    return max;
  }

  /** Largest persisted Raft state over all peers, in bytes (the course's `LogSize`). */
  logSize(): number {
    return Math.max(0, ...this.persisters.map((p) => p?.raftStateSize() ?? 0));
  }

  /** RPCs dispatched to peer `i`. */
  rpcCount(i: number): number {
    return this.net.rpcCount(`s${i}`);
  }

  rpcTotal(): number {
    return this.net.totalCount;
  }

  bytesTotal(): number {
    return this.net.totalBytes;
  }

  /** The largest index any peer applied. */
  get maxIndex(): number {
    return this.#maxIndex;
  }

  // ---------------------------------------------------------------------------------------
  // Appliers (the course's `applier` and `applierSnap`)

  #applied(i: number, msg: ApplyMsg<Value>): void {
    if (msg.snapshotValid) {
      const snap = HarnessSnapshot.decode(msg.snapshot);
      if (snap.lastIncludedIndex !== msg.snapshotIndex) {
        this.#applyError ??= `server ${i} snapshot index ${snap.lastIncludedIndex} != ApplyMsg index ${msg.snapshotIndex}`;
        return;
      }
      if (msg.snapshotIndex < this.lastApplied[i]!) {
        this.#applyError ??= `server ${i} snapshot at ${msg.snapshotIndex} moves the service back from ${this.lastApplied[i]}`;
        return;
      }
      this.#ingestSnapshot(i, snap.lastIncludedIndex, snap.log);
      return;
    }
    if (!msg.commandValid) {
      // The course's clusters never change their membership.
      this.#applyError ??= `server ${i} applied a config entry at ${msg.configIndex}`;
      return;
    }
    const index = msg.commandIndex;
    if (this.#options.snapshot && index !== this.lastApplied[i]! + 1) {
      this.#applyError ??= `server ${i} apply out of order: expected index ${this.lastApplied[i]! + 1}, got ${index}`;
      return;
    }
    this.#checkAndRecord(i, index, msg.command);
    if (this.#options.snapshot && (index + 1) % this.#snapshotInterval === 0) {
      const log: Value[] = [];
      for (let j = 0; j <= index; j++) log.push(this.logs[i]!.get(j) ?? null);
      this.rafts[i]?.snapshot(index, HarnessSnapshot.encode({ lastIncludedIndex: index, log }));
    }
  }

  #checkAndRecord(i: number, index: number, command: Value): void {
    for (let j = 0; j < this.n; j++) {
      const other = this.logs[j]!.get(index);
      if (this.logs[j]!.has(index) && !sameValue(other as Value, command)) {
        this.#applyError ??= `commit index=${index} server=${i} ${show(command)} != server=${j} ${show(other as Value)}`;
      }
    }
    if (!this.#options.snapshot && index > 1 && !this.logs[i]!.has(index - 1)) {
      this.#applyError ??= `server ${i} apply out of order ${index}`;
    }
    this.logs[i]!.set(index, command);
    this.lastApplied[i] = index;
    if (index > this.#maxIndex) this.#maxIndex = index;
  }

  #ingestSnapshot(i: number, lastIncludedIndex: number, log: readonly Value[]): void {
    const map = new Map<number, Value>();
    for (let j = 0; j < log.length; j++) map.set(j, log[j] as Value);
    this.logs[i] = map;
    this.lastApplied[i] = lastIncludedIndex;
    if (lastIncludedIndex > this.#maxIndex) this.#maxIndex = lastIncludedIndex;
  }

  #checkApplyError(): void {
    if (this.#applyError !== undefined) this.fail(`apply error: ${this.#applyError}`);
  }

  #checkFatal(): void {
    const fatal = this.#fatalMessage();
    if (fatal !== undefined) throw new ScenarioFailure(this.seed, this.sim.now(), fatal);
  }

  #fatalMessage(): string | undefined {
    if (this.#fatal === undefined) return undefined;
    const { peer, error } = this.#fatal;
    const message = error instanceof Error ? error.message : String(error);
    return `peer ${peer} stopped on an internal error at ${this.#fatalAt} ms: ${message}`;
  }

  #endExists(name: string): boolean {
    try {
      this.net.isEnabled(name);
      return true;
    } catch {
      return false;
    }
  }
}

function sameValue(a: Value, b: Value): boolean {
  // The same primitive (most commands are numbers) or object: equal without serializing, which
  // took 7% of a stress run. Anything else is compared as JSON, as before.
  if (a === b) return true;
  return JSON.stringify(a, bigintSafe) === JSON.stringify(b, bigintSafe);
}

/** A short rendering of a command for failure messages. */
function show(v: Value): string {
  const s = JSON.stringify(v, bigintSafe) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function bigintSafe(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? `${value}n` : value;
}
