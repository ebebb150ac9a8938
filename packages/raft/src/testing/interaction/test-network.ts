import type { Message } from "../../core/messages.js";
import type { PeerId } from "../../core/types.js";
import { messageType } from "./format.js";

/** Which in-flight messages a `deliver-msgs` or `drop-msgs` command takes. */
export interface MessageFilter {
  readonly from?: ReadonlySet<PeerId>;
  readonly to?: ReadonlySet<PeerId>;
  /** Message types as scripts name them (pre-votes are `PreVote` and `PreVoteReply`). */
  readonly types?: ReadonlySet<string>;
}

/**
 * The network of an interaction script: a queue of messages in flight, in the order they were
 * sent, that moves only when the script says so. A partition cuts links between groups; a
 * message on a cut link is dropped when it would be delivered (like a packet on a dead wire),
 * so messages already in flight when a partition starts are lost too.
 */
export class TestNetwork {
  #inFlight: Message[] = [];
  /** Group of each node while partitioned; nodes in different groups cannot talk. */
  #groupOf: Map<PeerId, number> | undefined;

  get inFlight(): readonly Message[] {
    return this.#inFlight;
  }

  send(message: Message): void {
    this.#inFlight.push(message);
  }

  /** Removes and returns the messages in flight that match `filter`, oldest first. */
  take(filter: MessageFilter): Message[] {
    const taken: Message[] = [];
    const kept: Message[] = [];
    for (const m of this.#inFlight) (matches(m, filter) ? taken : kept).push(m);
    this.#inFlight = kept;
    return taken;
  }

  /** Partitions the nodes into `groups`; a node in no group is alone in its own. */
  partition(groups: readonly (readonly PeerId[])[]): void {
    this.#groupOf = new Map();
    groups.forEach((group, g) => {
      for (const id of group) this.#groupOf?.set(id, g);
    });
  }

  heal(): void {
    this.#groupOf = undefined;
  }

  get partitioned(): boolean {
    return this.#groupOf !== undefined;
  }

  /** Whether the link between two nodes is cut. */
  cut(a: PeerId, b: PeerId): boolean {
    if (this.#groupOf === undefined) return false;
    const ga = this.#groupOf.get(a);
    const gb = this.#groupOf.get(b);
    return ga === undefined || gb === undefined || ga !== gb;
  }
}

function matches(m: Message, f: MessageFilter): boolean {
  return (
    (f.from === undefined || f.from.has(m.from)) &&
    (f.to === undefined || f.to.has(m.to)) &&
    (f.types === undefined || f.types.has(messageType(m)))
  );
}
