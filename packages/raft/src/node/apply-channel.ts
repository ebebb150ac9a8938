import { RaftUsageError } from "../core/errors.js";
import type { ApplyMsg } from "./apply-msg.js";

interface Pending<Command> {
  readonly message: ApplyMsg<Command>;
  readonly taken: () => void;
}

/**
 * The course's unbuffered `applyCh` as an async iterator. Pass `channel.send` as the node's
 * `apply` callback and consume with `for await (const msg of channel)`. Like an unbuffered Go
 * channel, `send` resolves only when the consumer has taken the message, so the node delivers
 * the next one only after that (order and exactly-once are the node's; back-pressure is this
 * channel's). Only one consumer may iterate at a time.
 *
 * @example
 * const applyCh = new ApplyChannel<string>();
 * const raft = makeRaft({ ..., apply: applyCh.send });
 * for await (const msg of applyCh) if (msg.commandValid) service.apply(msg.command);
 */
export class ApplyChannel<Command = Uint8Array> implements AsyncIterable<ApplyMsg<Command>> {
  readonly #queue: Pending<Command>[] = [];
  #wake: (() => void) | undefined;
  #closed = false;
  #iterating = false;

  /** Hands `message` to the consumer; resolves once it has been taken (or the channel closed). */
  readonly send = (message: ApplyMsg<Command>): Promise<void> => {
    if (this.#closed) return Promise.resolve();
    return new Promise<void>((taken) => {
      this.#queue.push({ message, taken });
      this.#signal();
    });
  };

  /** Ends iteration after the messages already sent; later sends are dropped. */
  close(): void {
    this.#closed = true;
    this.#signal();
  }

  get closed(): boolean {
    return this.#closed;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ApplyMsg<Command>> {
    if (this.#iterating)
      throw new RaftUsageError("ApplyChannel: only one consumer may iterate at a time");
    this.#iterating = true;
    try {
      for (;;) {
        const next = this.#queue.shift();
        if (next !== undefined) {
          next.taken();
          yield next.message;
          continue;
        }
        if (this.#closed) return;
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
        });
      }
    } finally {
      this.#iterating = false;
      // A consumer that stops early must not leave the node waiting forever.
      for (const pending of this.#queue.splice(0)) pending.taken();
      if (!this.#closed) this.#closed = true;
    }
  }

  #signal(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
