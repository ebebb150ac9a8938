import { SeededRandom } from "@lab/labrpc";
import { EMPTY_CONFIGURATION, formatConfiguration, isMember } from "../../core/configuration.js";
import { RaftUsageError } from "../../core/errors.js";
import type { Message } from "../../core/messages.js";
import type { RaftStatus } from "../../core/raft-core.js";
import type { PeerId } from "../../core/types.js";
import type { StoredState } from "../../storage/storage.js";
import { AppliedHistory } from "./applied-history.js";
import { InteractionScriptError } from "./errors.js";
import {
  formatEntry,
  formatHardState,
  formatMessage,
  formatPosition,
  formatRole,
  formatSnapshot,
} from "./format.js";
import { InteractionNode, type NodeSettings } from "./interaction-node.js";
import { type MessageFilter, TestNetwork } from "./test-network.js";

/** Settings of `add-nodes`: the core's timing and flow control, and the seed of its timeouts. */
export interface ClusterSettings extends Omit<NodeSettings, "peerCount"> {
  /** Seeds every node's election timeouts (each node, and each restart, gets its own stream). */
  readonly seed: number;
}

/** A stabilize that has not settled after this many rounds is a livelock: a bug. */
const MAX_STABILIZE_ROUNDS = 1000;

/** The lines of a Ready that report a read or a transfer that ended (kept by a brief stabilize). */
const OUTCOME = /^ {2}(read \d+ |transfer to )/;

/**
 * The world of an interaction script: nodes, a hand-driven network, and the check that no two
 * nodes apply different commands at one index. Every operation returns its output lines.
 */
export class InteractionEnv {
  #nodes: InteractionNode[] = [];
  #settings: ClusterSettings | undefined;
  readonly network = new TestNetwork();
  readonly history = new AppliedHistory();

  /** Number of nodes. */
  get size(): number {
    return this.#nodes.length;
  }

  /** The settings given to `add-nodes`. */
  get settings(): ClusterSettings {
    if (this.#settings === undefined) throw new InteractionScriptError("no nodes: use add-nodes");
    return this.#settings;
  }

  /** Node `id`, running or down; a script error if there is no such node. */
  node(id: PeerId): InteractionNode {
    const node = this.#nodes[id];
    if (node === undefined) {
      throw new InteractionScriptError(`no node ${id} (nodes are 0..${this.#nodes.length - 1})`);
    }
    return node;
  }

  /** A node that must be running for the command at hand. */
  upNode(id: PeerId): InteractionNode {
    const node = this.node(id);
    if (!node.up) throw new InteractionScriptError(`node ${id} is down`);
    return node;
  }

  /** Every node id, in order. */
  get ids(): PeerId[] {
    return this.#nodes.map((n) => n.id);
  }

  /** Creates nodes `0..count-1` (once); prints their state lines. */
  addNodes(count: number, settings: ClusterSettings): string[] {
    if (this.#nodes.length > 0) throw new InteractionScriptError("add-nodes may be used once");
    if (count < 1) throw new InteractionScriptError("add-nodes needs at least one node");
    const root = new SeededRandom(settings.seed);
    const { seed: _seed, ...core } = settings;
    const nodes: InteractionNode[] = [];
    try {
      for (let id = 0; id < count; id++) {
        // With a configuration, the nodes outside it start empty: they wait to be added.
        const initial = core.initialConfiguration;
        const nodeSettings =
          initial === undefined
            ? { ...core, peerCount: count }
            : {
                ...core,
                initialConfiguration: isMember(initial, id) ? initial : EMPTY_CONFIGURATION,
              };
        nodes.push(
          new InteractionNode(id, nodeSettings, (incarnation) =>
            root.fork(`node ${id} incarnation ${incarnation}`),
          ),
        );
      }
    } catch (error) {
      // Settings the core refuses (lease reads without check-quorum, say): no nodes.
      if (error instanceof RaftUsageError) return [`error: ${error.message}`];
      throw error;
    }
    this.#settings = settings;
    this.#nodes = nodes;
    return this.raftState(this.ids);
  }

  // ---------------------------------------------------------------------------------------
  // Time

  /**
   * Ticks `ids` together, `rounds` times (each round ticks every node once, in id order), or
   * until a node starts an election when `untilCampaign`. Reports state changes by round.
   */
  tick(ids: readonly PeerId[], rounds: number, untilCampaign = false): string[] {
    const nodes = ids.map((id) => this.upNode(id));
    const busy = nodes.map((n) => n.hasWork());
    const lines: string[] = [];
    let campaigned = false;
    for (let round = 1; round <= rounds && !campaigned; round++) {
      const before = nodes.map((n) => ({ status: n.core.status(), campaigns: n.campaigns }));
      for (const n of nodes) n.core.tick();
      nodes.forEach((n, i) => {
        const was = before[i] as { status: RaftStatus; campaigns: number };
        const now = n.core.status();
        // A new pre-vote round of a pre-candidate changes nothing in its state line: say it.
        const started = n.campaigns > was.campaigns;
        if (formatRole(was.status) === formatRole(now) && !started) return;
        lines.push(`tick ${round}: ${formatRole(now)}`);
        if (untilCampaign && started) campaigned = true;
      });
    }
    if (untilCampaign && !campaigned) {
      throw new InteractionScriptError(`no election started in ${rounds} ticks: are all leaders?`);
    }
    // Say which nodes have something to send now (a heartbeat, a vote request).
    nodes.forEach((n, i) => {
      if (!busy[i] && n.hasWork()) lines.push(`${n.id} has a ready`);
    });
    return lines.length > 0 ? lines : ["no change"];
  }

  // ---------------------------------------------------------------------------------------
  // Ready and messages

  /** Each node handles one Ready (persist, send, apply), if it has one. */
  processReady(ids: readonly PeerId[]): string[] {
    const lines: string[] = [];
    for (const id of ids) lines.push(...this.#processOne(this.node(id)));
    return lines;
  }

  #processOne(node: InteractionNode): string[] {
    if (!node.up) return [`> ${node.id} is down`];
    if (!node.hasWork()) return [`> ${node.id} has no ready`];
    const body = node.handleReady((m) => this.network.send(m), this.history);
    return [`> ${node.id} ready`, ...body.map((l) => `  ${l}`)];
  }

  /**
   * Async writes: each node makes its oldest `count` pending writes durable (all of them when
   * `count` is undefined) and sends what waited for them. A commit or applying this allows
   * shows as a changed state line and `has a ready`.
   */
  sync(ids: readonly PeerId[], count?: number): string[] {
    const lines: string[] = [];
    for (const id of ids) {
      const node = this.node(id);
      if (!node.asyncWrites) {
        throw new InteractionScriptError(
          `node ${id} persists each Ready as it handles it (add-nodes async-writes=on)`,
        );
      }
      lines.push(...this.#syncOne(node, count));
    }
    return lines;
  }

  #syncOne(node: InteractionNode, count?: number): string[] {
    if (!node.up) return [`> ${node.id} is down`];
    if (node.pending.length === 0) return [`> ${node.id} has no pending writes`];
    const before = formatRole(node.core.status());
    const hadReady = node.core.hasReady();
    const body = node.sync(count ?? node.pending.length, (m) => this.network.send(m));
    const after = formatRole(node.core.status());
    if (after !== before) body.push(after);
    if (!hadReady && node.core.hasReady()) body.push(`${node.id} has a ready`);
    return [`> ${node.id} sync`, ...body.map((l) => `  ${l}`)];
  }

  /** Delivers (or, for recipients in `drop`, drops) the matching in-flight messages. */
  deliver(filter: MessageFilter, drop: ReadonlySet<PeerId> = new Set()): string[] {
    const taken = this.network.take(filter);
    if (taken.length === 0) return ["no messages"];
    return taken.flatMap((m) => this.#deliverOne(m, drop.has(m.to)).lines);
  }

  /** Delivers one message, or says why it is lost; a changed recipient's state line follows. */
  #deliverOne(m: Message, drop: boolean): { lines: string[]; delivered: boolean } {
    const text = formatMessage(m);
    const lost = (why: string) => ({ lines: [`${text} dropped${why}`], delivered: false });
    if (drop) return lost("");
    if (this.network.cut(m.from, m.to)) return lost(" (partition)");
    const to = this.node(m.to);
    if (!to.up) return lost(` (${m.to} is down)`);
    const before = formatRole(to.core.status());
    to.deliver(m);
    const after = formatRole(to.core.status());
    return { lines: before === after ? [text] : [text, `  ${after}`], delivered: true };
  }

  /**
   * Runs the cluster until it is quiet: handle every Ready, sync every pending write (async
   * writes), deliver every message, repeat. Only
   * `ids` take part when given (messages to other nodes stay in flight). `brief` prints only a
   * count of messages and the nodes whose state line changed, for setting a scene.
   */
  stabilize(ids: readonly PeerId[], brief = false): string[] {
    const members = new Set(ids);
    const before = this.raftState(ids);
    const lines: string[] = [];
    let delivered = 0;
    let dropped = 0;
    for (let round = 0; round < MAX_STABILIZE_ROUNDS; round++) {
      let progress = false;
      for (const id of ids) {
        const node = this.node(id);
        if (!node.hasWork()) continue;
        lines.push(...this.#processOne(node));
        progress = true;
      }
      for (const id of ids) {
        const node = this.node(id);
        if (!node.up || node.pending.length === 0) continue;
        lines.push(...this.#syncOne(node));
        progress = true;
      }
      const taken = this.network.take({ to: members });
      if (taken.length > 0) {
        lines.push("> deliver");
        for (const m of taken) {
          const out = this.#deliverOne(m, false);
          if (out.delivered) delivered++;
          else dropped++;
          lines.push(...out.lines.map((l) => `  ${l}`));
        }
        progress = true;
      }
      if (progress) continue;
      if (!brief) return lines.length > 0 ? lines : ["nothing to do"];
      const after = this.raftState(ids);
      return [
        `${delivered} messages delivered, ${dropped} dropped`,
        // Reads and transfers that ended are outcomes, as much as the state lines.
        ...lines.filter((line) => OUTCOME.test(line)).map((line) => line.trim()),
        ...after.filter((line, i) => line !== before[i]),
      ];
    }
    throw new InteractionScriptError(`not stable after ${MAX_STABILIZE_ROUNDS} rounds`);
  }

  /**
   * In-flight messages, then the replies nodes hold until their next persist, then (async
   * writes) the messages that wait for a pending write.
   */
  messages(): string[] {
    const lines = this.network.inFlight.map((m) => `in flight ${formatMessage(m)}`);
    for (const node of this.#nodes) {
      for (const m of node.held) lines.push(`held by ${node.id} ${formatMessage(m)}`);
      for (const w of node.pending) {
        for (const m of w.waiting) {
          lines.push(`held by ${node.id} until ${w.seq} synced: ${formatMessage(m)}`);
        }
      }
    }
    return lines.length > 0 ? lines : ["no messages"];
  }

  // ---------------------------------------------------------------------------------------
  // Faults

  /** Cuts the links between `groups`; a node in none is alone. */
  partition(groups: readonly (readonly PeerId[])[]): string[] {
    for (const g of groups) for (const id of g) this.node(id);
    this.network.partition(groups);
    const listed = new Set(groups.flat());
    const alone = this.ids.filter((id) => !listed.has(id)).map((id) => [id]);
    return [
      `groups ${[...groups, ...alone].map((g) => `{${g.join(" ")}}`).join(" ")}: messages between groups are dropped`,
    ];
  }

  /** Restores every link. */
  heal(): string[] {
    this.network.heal();
    return ["all links up"];
  }

  /** Stops a node; prints what it loses and what its storage keeps. */
  crash(id: PeerId): string[] {
    const node = this.upNode(id);
    const lost = node.held.map((m) => `lost unsent ${formatMessage(m)}`);
    for (const w of node.pending) {
      lost.push(`lost pending ${w.seq}: ${w.description}`);
      for (const m of w.waiting) lost.push(`lost unsent ${formatMessage(m)}`);
    }
    const core = node.core.status();
    node.crash();
    const stored = node.stored();
    const lines = [`${id} crashed`, ...lost];
    if (
      core.term !== stored.hardState.term ||
      core.votedFor !== stored.hardState.votedFor ||
      core.commit !== stored.hardState.commit
    ) {
      lines.push(
        `lost unpersisted state ${formatHardState({ term: core.term, votedFor: core.votedFor, commit: core.commit })}`,
      );
    }
    return [...lines, ...this.#storedLines(stored)];
  }

  /** Starts a crashed node from its storage. */
  restart(id: PeerId): string[] {
    const node = this.node(id);
    if (node.up) throw new InteractionScriptError(`node ${id} is running: crash it first`);
    node.restart();
    return [`${id} restarted`, formatRole(node.core.status())];
  }

  // ---------------------------------------------------------------------------------------
  // Inspection

  /** One line per node: its state, or what its storage holds when it is down. */
  raftState(ids: readonly PeerId[]): string[] {
    return ids.map((id) => {
      const node = this.node(id);
      if (!node.up) {
        const hs = node.stored().hardState;
        return `${id}: down (stored ${formatHardState(hs)})`;
      }
      const s = node.core.status();
      const snap =
        s.snapshotIndex > 0
          ? ` snap=${formatPosition(node.termAt(s.snapshotIndex, s), s.snapshotIndex)}`
          : "";
      return `${formatRole(s)} applied=${s.applied} last=${formatPosition(node.lastTerm(), s.lastIndex)}${snap}${this.#durability(node)}`;
    });
  }

  /**
   * Async writes: how far the storage's durable log reaches (`synced=`, what a restart finds)
   * and how many writes are still pending; nothing without async writes.
   */
  #durability(node: InteractionNode): string {
    if (!node.asyncWrites) return "";
    const stored = node.stored();
    const last = stored.entries.at(-1);
    const synced =
      last !== undefined
        ? formatPosition(last.term, last.index)
        : formatPosition(stored.snapshot?.meta.term ?? 0, stored.snapshot?.meta.index ?? 0);
    return ` synced=${synced} pending=${node.pending.length}`;
  }

  /** The configuration each node uses, and the index of the config entry it comes from. */
  config(ids: readonly PeerId[]): string[] {
    return ids.map((id) => {
      const node = this.upNode(id);
      const s = node.core.status();
      const index = s.configIndex;
      const committed = index <= s.commit ? "" : " (uncommitted)";
      return `${id}: ${formatConfiguration(s.config)} at ${index}${committed}`;
    });
  }

  /** The node's log as its core holds it, one entry per line. */
  log(id: PeerId): string[] {
    const node = this.upNode(id);
    const s = node.core.status();
    const lines: string[] = [];
    if (s.snapshotIndex > 0) {
      lines.push(`snapshot ${formatPosition(node.termAt(s.snapshotIndex, s), s.snapshotIndex)}`);
    }
    for (let i = s.firstIndex; i <= s.lastIndex; i++) {
      const e = node.core.entryAt(i);
      if (e === undefined) throw new InteractionScriptError(`node ${id} lacks entry ${i}`);
      lines.push(`${formatEntry(e)}${i > s.commit ? " (uncommitted)" : ""}`);
    }
    return lines.length > 0 ? lines : ["empty"];
  }

  /** What the node's storage holds: what a restart would find; then its pending writes. */
  storage(id: PeerId): string[] {
    const node = this.node(id);
    return [
      ...this.#storedLines(node.stored()),
      ...node.pending.map((w) => `pending ${w.seq}: ${w.description}`),
    ];
  }

  #storedLines(stored: StoredState): string[] {
    const { hardState, snapshot, entries } = stored;
    return [
      `stored hard-state ${formatHardState(hardState)}`,
      ...(snapshot !== undefined ? [`stored snapshot ${formatSnapshot(snapshot)}`] : []),
      ...(entries.length > 0
        ? entries.map((e) => `stored ${formatEntry(e)}`)
        : ["stored no entries"]),
    ];
  }

  /** The node's service state: the commands it applied, in order. */
  applied(id: PeerId): string[] {
    const values = this.upNode(id).applied;
    return [`applied ${values.length}: [${values.map((v) => JSON.stringify(v)).join(" ")}]`];
  }
}
