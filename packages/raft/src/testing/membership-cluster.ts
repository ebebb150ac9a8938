import { type ClientEnd, Network, RpcServer, Simulator } from "@lab/labrpc";
import {
  allVoters,
  type Configuration,
  EMPTY_CONFIGURATION,
  formatConfiguration,
  isLearner,
  isMember,
  isVoter,
  sameConfiguration,
} from "../core/configuration.js";
import { type MembershipChange, MembershipChangeError } from "../core/membership.js";
import type { PeerId } from "../core/types.js";
import type { ApplyMsg } from "../node/apply-msg.js";
import { RaftNode, type RaftTuning } from "../node/raft-node.js";
import { MemoryStorage } from "../storage/memory-storage.js";
import { ScenarioFailure, settleScenario } from "./scenario-failure.js";

/** Settings of a {@link MembershipCluster}. */
export interface MembershipClusterOptions {
  /** Seed of the whole run: network, timeouts, scenario decisions. */
  readonly seed: number;
  /** Peers `0..voters-1` start as the cluster, all voters. */
  readonly voters: number;
  /** Peer ids go up to `slots - 1`: the ones beyond `voters` may join later. */
  readonly slots: number;
  /** Lossy network: delays, lost requests and replies. */
  readonly unreliable?: boolean;
  /** Long reordering of replies (as the course's `setlongreordering`). */
  readonly longReordering?: boolean;
  /** The service snapshots every this many applied entries (default: never). */
  readonly snapshotEvery?: number;
  readonly tickMs?: number;
  readonly tuning?: RaftTuning;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The toy service's state at an index: one value per applied index (config entries too). */
type Applied = string[];

/**
 * A simulated cluster whose membership changes, for scenarios with faults: peers by id in
 * `0..slots-1`, each a {@link RaftNode} on a {@link MemoryStorage} (crashes keep only what was
 * synced), ends to peers outside the initial configuration resolved on demand
 * (`resolvePeer`), partitions, and checks that run all along: no two peers apply different
 * values at one index, every peer applies in index order, and no term has two leaders.
 * A failure names the seed.
 */
export class MembershipCluster {
  readonly seed: number;
  readonly sim: Simulator;
  readonly net: Network;
  readonly slots: number;
  readonly nodes: (RaftNode | undefined)[];
  readonly #storages: (MemoryStorage | undefined)[];
  readonly #initial: Configuration[];
  readonly #applied: Applied[];
  /** The value applied at each index by the first peer that applied it. */
  readonly #committed = new Map<number, string>();
  readonly #leaders = new Map<number, PeerId>();
  /** End names by `from` then `to`, for the current incarnation of `from`. */
  readonly #ends: Map<PeerId, string>[];
  /** The group of each peer (peers in one group reach each other); all 0 when healed. */
  readonly #group: number[];
  readonly #options: MembershipClusterOptions;
  readonly #random;
  #serial = 0;
  #failure: string | undefined;
  #stopped = false;
  #clientCount = 0;

  constructor(options: MembershipClusterOptions) {
    this.seed = options.seed;
    this.slots = options.slots;
    this.#options = options;
    this.sim = new Simulator({ seed: options.seed });
    this.#random = this.sim.random.fork("membership-harness");
    this.net = new Network(this.sim, {
      longDelays: true,
      reliable: !options.unreliable,
      longReordering: options.longReordering === true,
    });
    const n = options.slots;
    this.nodes = new Array(n).fill(undefined);
    this.#storages = new Array(n).fill(undefined);
    this.#initial = Array.from({ length: n }, (_, id) =>
      id < options.voters ? allVoters(options.voters) : EMPTY_CONFIGURATION,
    );
    this.#applied = Array.from({ length: n }, () => []);
    this.#ends = Array.from({ length: n }, () => new Map());
    this.#group = new Array(n).fill(0);
    for (let id = 0; id < options.voters; id++) this.start(id);
    this.#watchLeaders();
  }

  /** Scenario decisions: a stream of its own. */
  get random() {
    return this.#random;
  }

  /** Runs `scenario` in virtual time; a failure (of a check or the scenario) names the seed. */
  async run(scenario: (c: this) => Promise<void>): Promise<void> {
    const body = (async () => {
      await scenario(this);
      this.#check();
    })();
    try {
      await settleScenario(this.sim, body, 30 * 60_000);
    } finally {
      this.#stopped = true;
      for (const node of this.nodes) node?.kill();
      this.net.cleanup();
    }
  }

  fail(message: string): never {
    throw new ScenarioFailure(this.seed, this.sim.now(), message);
  }

  // ---------------------------------------------------------------------------------------
  // Peers

  /** Starts peer `id` (a new one, or a crashed one from what its storage synced). */
  start(id: PeerId): void {
    if (this.nodes[id] !== undefined) this.fail(`peer ${id} is running`);
    const storage = this.#storages[id] ?? new MemoryStorage();
    this.#storages[id] = storage;
    this.#applied[id] = [];
    this.#ends[id] = new Map();
    const initial = this.#initial[id] as Configuration;
    // Ends to the initial members up front; the others only when Raft asks (resolvePeer).
    const peers: (ClientEnd | undefined)[] = [];
    for (const to of initial.voters) if (to !== id) peers[to] = this.#makeEnd(id, to);
    const node = new RaftNode({
      id,
      peers,
      initialConfiguration: initial,
      resolvePeer: (to) => (to >= 0 && to < this.slots ? this.#makeEnd(id, to) : undefined),
      storage,
      clock: this.sim,
      random: this.sim.random.fork(`member-${id}-${this.#serial++}`),
      apply: (msg) => this.#apply(id, msg),
      ...(this.#options.tickMs !== undefined ? { tickMs: this.#options.tickMs } : {}),
      ...(this.#options.tuning !== undefined ? { tuning: this.#options.tuning } : {}),
      onFatal: (error) => {
        this.#failure ??= `peer ${id} stopped: ${error instanceof Error ? error.stack : String(error)}`;
      },
    });
    this.nodes[id] = node;
    const server = new RpcServer();
    node.register(server);
    this.net.addServer(`m${id}`, server);
  }

  /** Crashes peer `id`: it loses everything its storage did not sync. */
  crash(id: PeerId): void {
    const node = this.nodes[id];
    if (node === undefined) return;
    node.kill();
    this.nodes[id] = undefined;
    this.net.deleteServer(`m${id}`);
    for (const name of this.#ends[id]?.values() ?? []) this.net.enable(name, false);
    this.#storages[id] = (this.#storages[id] as MemoryStorage).crash();
  }

  #makeEnd(from: PeerId, to: PeerId): ClientEnd {
    const name = `m${from}-${to}-${this.#serial++}`;
    const end = this.net.makeEnd(name);
    this.net.connect(name, `m${to}`);
    this.net.enable(name, this.#group[from] === this.#group[to]);
    this.#ends[from]?.set(to, name);
    return end;
  }

  // ---------------------------------------------------------------------------------------
  // Network

  /** Splits the peers into groups that reach only their own members (unlisted: alone). */
  partition(groups: readonly (readonly PeerId[])[]): void {
    let next = groups.length + 1;
    for (let id = 0; id < this.slots; id++) this.#group[id] = next++;
    groups.forEach((g, i) => {
      for (const id of g) this.#group[id] = i + 1;
    });
    this.#applyGroups();
  }

  /** A reliable network from now on (to check convergence after the faults). */
  setReliable(): void {
    this.net.setReliable(true);
    this.net.setLongReordering(false);
  }

  heal(): void {
    this.#group.fill(0);
    this.#applyGroups();
  }

  #applyGroups(): void {
    for (let from = 0; from < this.slots; from++) {
      for (const [to, name] of this.#ends[from] ?? []) {
        this.net.enable(name, this.#group[from] === this.#group[to]);
      }
    }
  }

  // ---------------------------------------------------------------------------------------
  // Clients and membership

  /** The running peer that leads with the highest term, or `undefined`. */
  leader(): PeerId | undefined {
    let best: PeerId | undefined;
    let bestTerm = -1;
    this.nodes.forEach((node, id) => {
      const s = node?.getState();
      if (s?.isLeader && s.term > bestTerm) {
        best = id;
        bestTerm = s.term;
      }
    });
    return best;
  }

  /** Proposes `value` at the leader, if there is one; true when it was taken. */
  propose(value: string): boolean {
    const leader = this.leader();
    if (leader === undefined) return false;
    return (this.nodes[leader] as RaftNode).start(encoder.encode(value)).isLeader;
  }

  /**
   * A client that proposes a new value every `everyMs` until `stop()`; returns the stop
   * function. Values are unique, so the agreement check sees any mix-up.
   */
  client(everyMs: number): () => void {
    const name = `c${this.#clientCount++}`;
    let n = 0;
    let running = true;
    const loop = async () => {
      while (running && !this.#stopped) {
        this.propose(`${name}.${n++}`);
        await this.sim.sleep(everyMs);
      }
    };
    void loop();
    return () => {
      running = false;
    };
  }

  /**
   * Makes `change` happen: retries at whichever peer leads (leaders come and go under
   * faults) until some leader's configuration reflects it and the entry is committed there.
   * Fails the run after `timeoutMs` of virtual time.
   */
  async ensure(change: MembershipChange, timeoutMs = 60_000): Promise<void> {
    const deadline = this.sim.now() + timeoutMs;
    const done = (config: Configuration) => {
      switch (change.type) {
        case "add-learner":
          return isMember(config, change.id);
        case "promote":
          return isVoter(config, change.id);
        case "demote":
          return isLearner(config, change.id);
        case "remove":
          return !isMember(config, change.id);
      }
    };
    while (this.sim.now() < deadline) {
      this.#check();
      const leader = this.leader();
      const node = leader === undefined ? undefined : this.nodes[leader];
      if (node !== undefined) {
        const s = node.status();
        if (done(s.config) && s.configIndex <= s.commit) return;
        if (!done(s.config)) {
          // Refused, replaced, or stuck with a leader cut off: look again (bounded wait).
          const attempt = node.changeMembership(change, { waitMs: 500 }).then(
            () => true,
            (error: unknown) => {
              if (error instanceof MembershipChangeError) return false;
              throw error;
            },
          );
          if (await Promise.race([attempt, this.sim.sleep(2_000).then(() => false)])) continue;
        }
      }
      await this.sim.sleep(50);
    }
    this.fail(`membership change ${change.type} ${change.id} did not happen in ${timeoutMs} ms`);
  }

  /** Adds `id` as a voter: learner first, promoted once caught up. */
  async addVoter(id: PeerId): Promise<void> {
    await this.ensure({ type: "add-learner", id });
    await this.ensure({ type: "promote", id });
  }

  // ---------------------------------------------------------------------------------------
  // Checks

  /**
   * After healing: a value proposed now commits, and every running member of the leader's
   * configuration applies the same log through it and uses the same configuration.
   */
  async checkConverged(expected: Configuration, timeoutMs = 30_000): Promise<void> {
    const deadline = this.sim.now() + timeoutMs;
    const marker = `final-${this.seed}`;
    let proposedAt = -Infinity;
    while (this.sim.now() < deadline) {
      this.#check();
      const leader = this.leader();
      if (leader !== undefined) {
        const config = (this.nodes[leader] as RaftNode).configuration();
        const index = [...this.#committed].find(([, v]) => v === marker)?.[0];
        if (index === undefined && this.sim.now() - proposedAt > 1_000) {
          if (this.propose(marker)) proposedAt = this.sim.now();
        }
        const all = [...config.voters, ...config.learners];
        if (
          index !== undefined &&
          all.every(
            (id) => this.nodes[id] === undefined || (this.#applied[id]?.length ?? 0) >= index,
          ) &&
          all.every((id) => {
            const c = this.nodes[id]?.configuration();
            return c === undefined || sameConfiguration(c, config);
          })
        ) {
          if (!sameConfiguration(config, expected)) {
            this.fail(
              `configuration is ${formatConfiguration(config)}, expected ${formatConfiguration(expected)}`,
            );
          }
          return;
        }
      }
      await this.sim.sleep(50);
    }
    this.fail(`the cluster did not converge in ${timeoutMs} ms`);
  }

  /** Values applied through index `n` on peer `id` (for tests). */
  appliedOf(id: PeerId): readonly string[] {
    return this.#applied[id] ?? [];
  }

  /** Number of distinct indexes some peer applied. */
  get committedCount(): number {
    return this.#committed.size;
  }

  #check(): void {
    if (this.#failure !== undefined) this.fail(this.#failure);
  }

  #apply(id: PeerId, msg: ApplyMsg): void {
    const applied = this.#applied[id] as Applied;
    if (msg.snapshotValid) {
      const values = JSON.parse(decoder.decode(msg.snapshot)) as string[];
      if (values.length !== msg.snapshotIndex) {
        this.#failure ??= `peer ${id}: snapshot at ${msg.snapshotIndex} holds ${values.length} values`;
        return;
      }
      if (msg.snapshotIndex < applied.length) {
        this.#failure ??= `peer ${id}: snapshot at ${msg.snapshotIndex} moves back from ${applied.length}`;
        return;
      }
      values.forEach((v, i) => {
        this.#record(id, i + 1, v);
      });
      this.#applied[id] = values;
      return;
    }
    const index = msg.commandValid ? msg.commandIndex : msg.configIndex;
    const value = msg.commandValid
      ? decoder.decode(msg.command)
      : `config(${formatConfiguration(msg.config)})`;
    if (index !== applied.length + 1) {
      this.#failure ??= `peer ${id}: applied index ${index} after ${applied.length}`;
      return;
    }
    this.#record(id, index, value);
    applied.push(value);
    const every = this.#options.snapshotEvery;
    if (every !== undefined && index % every === 0) {
      this.nodes[id]?.snapshot(index, encoder.encode(JSON.stringify(applied)));
    }
  }

  #record(id: PeerId, index: number, value: string): void {
    const known = this.#committed.get(index);
    if (known === undefined) this.#committed.set(index, value);
    else if (known !== value) {
      this.#failure ??= `peer ${id} applied ${JSON.stringify(value)} at ${index}, another peer ${JSON.stringify(known)}`;
    }
  }

  /** Samples every peer's role each millisecond-ish tick: no term may have two leaders. */
  #watchLeaders(): void {
    const step = Math.max(1, Math.floor((this.#options.tickMs ?? 10) / 2));
    const watch = () => {
      if (this.#stopped) return;
      this.nodes.forEach((node, id) => {
        const s = node?.getState();
        if (!s?.isLeader) return;
        const other = this.#leaders.get(s.term);
        if (other === undefined) this.#leaders.set(s.term, id);
        else if (other !== id)
          this.#failure ??= `term ${s.term} has two leaders: ${other} and ${id}`;
      });
      this.sim.setTimer(step, watch);
    };
    this.sim.setTimer(step, watch);
  }
}
