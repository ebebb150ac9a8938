import type { Random } from "@lab/labrpc";
import { decodeConfiguration } from "../../core/configuration.js";
import { RaftInvariantError } from "../../core/errors.js";
import type { Message, ReplyMessage } from "../../core/messages.js";
import { RaftCore, type RaftCoreConfig, type RaftStatus } from "../../core/raft-core.js";
import type { Ready } from "../../core/ready.js";
import type { Entry, PeerId, Snapshot } from "../../core/types.js";
import { MemoryStorage } from "../../storage/memory-storage.js";
import type { StorageUpdate, StoredState } from "../../storage/storage.js";
import type { AppliedHistory } from "./applied-history.js";
import { InteractionScriptError } from "./errors.js";
import {
  formatEntries,
  formatEntry,
  formatHardState,
  formatMessage,
  formatSnapshot,
} from "./format.js";
import type { PendingWrite } from "./pending-write.js";

const encoder = new TextEncoder();

/** A config entry in the toy service's state: `config:v0.1.2/l3` (no commas: snapshots split on them). */
function configValue(command: Uint8Array): string {
  const c = decodeConfiguration(command);
  return `config:v${c.voters.join(".")}/l${c.learners.join(".")}`;
}
const decoder = new TextDecoder();

/** Settings shared by every node of a script, fixed by `add-nodes`. */
export type NodeSettings = Omit<RaftCoreConfig, "id" | "random" | "trace">;

/**
 * One peer of an interaction script: a {@link RaftCore}, its {@link MemoryStorage}, and a toy
 * service whose state is the list of applied commands. The script decides when it handles its
 * Ready; replies to requests wait in `held` until then, because a reply may be sent only once
 * the state change that produced it is persisted.
 *
 * With `asyncStorageWrites` a Ready's update is only handed to the storage when the Ready is
 * handled: it waits in a queue of pending writes until `sync` makes it durable. The
 * {@link MemoryStorage} holds exactly the durable (synced) state, so a crash loses the pending
 * writes and a restart finds what was synced; a second storage, `#written`, holds what was
 * handed over, to say which stored entries a write replaces.
 */
export class InteractionNode {
  readonly id: PeerId;
  readonly #settings: NodeSettings;
  readonly #randomFor: (incarnation: number) => Random;
  /** The durable state: what a restart finds. */
  #storage: MemoryStorage;
  /** What was handed to the storage, synced or not: `#storage` itself without async writes. */
  #written: MemoryStorage;
  readonly #async: boolean;
  /** Writes handed to the storage and not yet durable, oldest first (async writes only). */
  #pending: PendingWrite[] = [];
  /** The number of the node's last write (see {@link PendingWrite.seq}). */
  #writes = 0;
  #core: RaftCore | undefined;
  #incarnation = 0;
  /** Elections and pre-vote rounds this node started, over all incarnations. */
  #campaigns = 0;
  /** Replies produced by `step`, not yet sent: they go out after the next persist. */
  #held: ReplyMessage[] = [];
  /** The service: applied commands, index i at position i - 1. */
  #applied: string[] = [];
  /** Terms of the snapshots this node made or received (the core does not expose them). */
  readonly #snapshotTerms = new Map<number, number>([[0, 0]]);

  constructor(id: PeerId, settings: NodeSettings, randomFor: (incarnation: number) => Random) {
    this.id = id;
    this.#settings = settings;
    this.#randomFor = randomFor;
    this.#async = settings.asyncStorageWrites === true;
    this.#storage = new MemoryStorage();
    this.#written = this.#async ? new MemoryStorage() : this.#storage;
    this.#core = this.#boot(this.#storage.initialState());
  }

  /** True with `async-writes=on`: Readies are persisted by `sync`, not when handled. */
  get asyncWrites(): boolean {
    return this.#async;
  }

  /** Writes handed to the storage and not yet durable, oldest first. */
  get pending(): readonly PendingWrite[] {
    return this.#pending;
  }

  /** Elections and pre-vote rounds started so far (a new pre-vote round changes no state). */
  get campaigns(): number {
    return this.#campaigns;
  }

  /** False between `crash` and `restart`. */
  get up(): boolean {
    return this.#core !== undefined;
  }

  /** The running core; a script error when the node is down. */
  get core(): RaftCore {
    if (this.#core === undefined) throw new InteractionScriptError(`node ${this.id} is down`);
    return this.#core;
  }

  /** Replies waiting for the next persist. */
  get held(): readonly ReplyMessage[] {
    return this.#held;
  }

  /** The commands the service applied, in index order (from 1). */
  get applied(): readonly string[] {
    return this.#applied;
  }

  /** What a restart would find: the synced contents of the storage. */
  stored(): StoredState {
    return this.#storage.initialState();
  }

  /** Term of the last log position (an entry, or the snapshot's last index). */
  lastTerm(): number | undefined {
    const s = this.core.status();
    return this.termAt(s.lastIndex, s);
  }

  /** Term at `index` if the log holds it or it is the snapshot's last index. */
  termAt(index: number, s: RaftStatus = this.core.status()): number | undefined {
    if (index === s.snapshotIndex) return this.#snapshotTerms.get(index);
    return this.core.entryAt(index)?.term;
  }

  /**
   * Stops the node: volatile state, unsent replies and pending writes (with the messages that
   * waited for them) are lost; the storage keeps what it synced.
   */
  crash(): void {
    this.#storage = this.#storage.crash();
    this.#written = this.#async ? new MemoryStorage(this.#storage.initialState()) : this.#storage;
    this.#pending = [];
    this.#core = undefined;
    this.#held = [];
    this.#applied = [];
  }

  /** Starts a new incarnation from what the storage kept. */
  restart(): StoredState {
    const stored = this.#storage.initialState();
    this.#core = this.#boot(stored);
    return stored;
  }

  /** Delivers a message. A request's reply is held until the next Ready is persisted. */
  deliver(message: Message): void {
    const core = this.core;
    const reply = core.step(message);
    if (message.type === "InstallSnapshot") {
      this.#snapshotTerms.set(message.snapshot.meta.index, message.snapshot.meta.term);
    }
    if (reply !== undefined) this.#held.push(reply);
  }

  /** Proposes a command; `undefined` when this node is not the leader. */
  propose(value: string): { index: number; term: number } | undefined {
    return this.core.propose(encoder.encode(value));
  }

  /** The service snapshots its state up to `index` (which it applied) and Raft compacts. */
  compact(index: number): void {
    const term = this.core.entryAt(index)?.term;
    this.core.compact(index, encoder.encode(this.#applied.slice(0, index).join(",")));
    if (term !== undefined) this.#snapshotTerms.set(index, term);
  }

  /** True when the core has a Ready or replies wait to be sent. */
  hasWork(): boolean {
    return this.#core !== undefined && (this.#core.hasReady() || this.#held.length > 0);
  }

  /**
   * Handles one Ready the way a driver must: persist (hard state, snapshot, entries), then send
   * the held replies and the core's messages, then apply, then advance. Returns what it did, one
   * line per action. With async writes the update is handed over as a pending write instead,
   * see {@link #handleReadyAsync}.
   */
  handleReady(send: (m: Message) => void, history: AppliedHistory): string[] {
    if (this.#async) return this.#handleReadyAsync(send, history);
    const core = this.core;
    const lines: string[] = [];
    const ready: Ready | undefined = core.hasReady() ? core.ready() : undefined;
    if (ready !== undefined) lines.push(...this.#persist(ready));
    const outgoing = [...this.#held, ...(ready?.messages ?? [])];
    this.#held = [];
    for (const m of outgoing) {
      send(m);
      lines.push(`send ${formatMessage(m)}`);
    }
    if (ready !== undefined) {
      lines.push(...this.#perform(ready, history));
      core.advance(ready);
    }
    return lines;
  }

  /**
   * Async writes: hands the Ready's update to the storage as a pending write, sends its
   * messages at once unless it must persist before sending (then they wait for the write),
   * applies, advances. Held replies wait for a write too: this Ready's, or with nothing to
   * write, the last one pending (what they rest on was handed over by then). With nothing
   * pending they rest on durable state and go out at once.
   */
  #handleReadyAsync(send: (m: Message) => void, history: AppliedHistory): string[] {
    const core = this.core;
    const lines: string[] = [];
    const ready: Ready | undefined = core.hasReady() ? core.ready() : undefined;
    let write: PendingWrite | undefined;
    if (ready !== undefined) {
      const described = this.#describe(ready);
      if (described !== undefined) {
        write = {
          seq: ++this.#writes,
          ready,
          update: described.update,
          description: described.parts.join(", "),
          waiting: [],
        };
        for (const part of described.parts) lines.push(`persist (pending ${write.seq}) ${part}`);
        void this.#written.persist(described.update);
      }
    }
    const anchor = write ?? this.#pending.at(-1);
    const wait = (m: Message, mustWait: boolean) => {
      if (mustWait && anchor !== undefined) {
        anchor.waiting.push(m);
        lines.push(`hold until ${anchor.seq} synced: ${formatMessage(m)}`);
      } else {
        send(m);
        lines.push(`send ${formatMessage(m)}`);
      }
    };
    for (const m of this.#held) wait(m, true);
    this.#held = [];
    for (const m of ready?.messages ?? []) wait(m, ready?.mustPersistBeforeSend === true);
    if (ready !== undefined) {
      lines.push(...this.#perform(ready, history));
      core.advance(ready);
    }
    if (write !== undefined) this.#pending.push(write);
    return lines;
  }

  /**
   * Async writes: makes the oldest `count` pending writes durable, in order, reports each to
   * the core (`persisted`) and sends what waited for it. Returns what it did.
   */
  sync(count: number, send: (m: Message) => void): string[] {
    const core = this.core;
    const lines: string[] = [];
    for (let i = 0; i < count && this.#pending.length > 0; i++) {
      const write = this.#pending.shift() as PendingWrite;
      void this.#storage.persist(write.update);
      core.persisted(write.ready);
      lines.push(`synced ${write.seq}: ${write.description}`);
      for (const m of write.waiting) {
        send(m);
        lines.push(`send ${formatMessage(m)}`);
      }
    }
    return lines;
  }

  /** Applies the Ready's snapshot and committed entries; reports its reads and transfers. */
  #perform(ready: Ready, history: AppliedHistory): string[] {
    const lines: string[] = [];
    if (ready.snapshotToApply !== undefined) {
      lines.push(`apply snapshot ${formatSnapshot(ready.snapshotToApply)}`);
      this.#applySnapshot(ready.snapshotToApply, history);
    }
    for (const e of ready.committed) {
      lines.push(`apply ${formatEntry(e)}`);
      this.#applyEntry(e, history);
    }
    for (const r of ready.readStates) {
      // What a service would serve: its state once applied through the read's index.
      lines.push(`read ${r.requestId} ready at index ${r.index}`);
    }
    for (const id of ready.failedReads) lines.push(`read ${id} failed: no longer leader`);
    for (const t of ready.transfers) {
      lines.push(
        t.outcome === "completed"
          ? `transfer to ${t.to} completed: ${t.to} leads term ${t.term}`
          : `transfer to ${t.to} ${t.outcome} (${t.reason}) in term ${t.term}`,
      );
    }
    return lines;
  }

  #persist(ready: Ready): string[] {
    const described = this.#describe(ready);
    if (described === undefined) return [];
    void this.#storage.persist(described.update);
    return described.parts.map((part) => `persist ${part}`);
  }

  /** The Ready's storage update and its parts as printed; `undefined` when it has none. */
  #describe(ready: Ready): { update: StorageUpdate; parts: string[] } | undefined {
    const parts: string[] = [];
    const update: { -readonly [K in keyof StorageUpdate]: StorageUpdate[K] } = {};
    if (ready.hardState !== undefined) {
      update.hardState = ready.hardState;
      parts.push(`hard-state ${formatHardState(ready.hardState)}`);
    }
    if (ready.snapshot !== undefined) {
      update.snapshot = ready.snapshot;
      this.#snapshotTerms.set(ready.snapshot.meta.index, ready.snapshot.meta.term);
      parts.push(`snapshot ${formatSnapshot(ready.snapshot)}`);
    }
    if (ready.entries !== undefined) {
      update.entries = ready.entries;
      // No entries: the update only cuts the stored log (after a conflict or a snapshot).
      const what =
        ready.entries.entries.length > 0
          ? `entries ${formatEntries(ready.entries.entries)}`
          : `log cut after ${ready.entries.from - 1}`;
      parts.push(`${what}${this.#replaced(ready)}`);
    }
    return parts.length > 0 ? { update, parts } : undefined;
  }

  /** Which written entries an update overwrites (a truncation), said in words. */
  #replaced(ready: Ready): string {
    const stored = this.#written.initialState().entries;
    const from = (ready.entries as { from: number }).from;
    // The snapshot in the same update drops stored entries it covers before the truncation.
    const snapIndex = ready.snapshot?.meta.index ?? 0;
    const overwritten = stored.filter((e) => e.index >= from && e.index > snapIndex);
    if (overwritten.length === 0) return "";
    const first = overwritten[0] as Entry;
    const last = overwritten.at(-1) as Entry;
    const span = first.index === last.index ? `${first.index}` : `${first.index}..${last.index}`;
    return ` (replacing stored ${span})`;
  }

  #applySnapshot(snapshot: Snapshot, history: AppliedHistory): void {
    const text = decoder.decode(snapshot.data);
    const values = text === "" ? [] : text.split(",");
    if (values.length !== snapshot.meta.index) {
      throw new RaftInvariantError(
        `node ${this.id}: snapshot at ${snapshot.meta.index} holds ${values.length} commands`,
      );
    }
    values.forEach((v, i) => {
      history.record(this.id, i + 1, v);
    });
    this.#applied = values;
  }

  #applyEntry(e: Entry, history: AppliedHistory): void {
    if (e.index !== this.#applied.length + 1) {
      throw new RaftInvariantError(
        `node ${this.id} applied index ${e.index} after ${this.#applied.length}`,
      );
    }
    // A config entry reaches the service too (it takes an index); recorded as its members.
    const value = e.kind === "config" ? configValue(e.command) : decoder.decode(e.command);
    history.record(this.id, e.index, value);
    this.#applied.push(value);
  }

  #boot(stored: StoredState): RaftCore {
    this.#incarnation++;
    if (stored.snapshot !== undefined) {
      this.#snapshotTerms.set(stored.snapshot.meta.index, stored.snapshot.meta.term);
    }
    return new RaftCore(
      {
        ...this.#settings,
        id: this.id,
        random: this.#randomFor(this.#incarnation),
        trace: (kind) => {
          if (kind === "role.candidate" || kind === "role.precandidate") this.#campaigns++;
        },
      },
      stored,
    );
  }
}
