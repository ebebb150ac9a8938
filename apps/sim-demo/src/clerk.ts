import type { ClientEnd, Simulator } from "@lab/labrpc";
import type { KvInput, KvOutput, Operation } from "@lab/porcupine";
import { KvService } from "./kv-service.js";

export interface ClerkStats {
  calls: number;
  retries: number;
}

/**
 * A clerk of the course's kvsrv: it retries a request until it gets a reply, keeping the same
 * sequence number so the server can recognise the retry. Every operation is recorded, from its
 * invocation to its answer, as a history for porcupine.
 */
export class Clerk {
  #seq = 0;
  readonly stats: ClerkStats = { calls: 0, retries: 0 };

  constructor(
    readonly id: number,
    readonly end: ClientEnd,
    readonly sim: Simulator,
    readonly history: Operation<KvInput, KvOutput>[],
  ) {}

  async run(input: KvInput): Promise<string> {
    const call = this.sim.now();
    const seq = ++this.#seq;
    const request = {
      op: input.op,
      key: input.key,
      value: input.op === "get" ? "" : input.value,
      clientId: this.id,
      seq,
    };
    for (;;) {
      this.stats.calls++;
      const result = await this.end.call(KvService.methods.Apply, request, { timeoutMs: 150 });
      if (result.ok) {
        const output: KvOutput =
          input.op === "get" ? { type: "ok", value: result.reply.value } : { type: "ok" };
        this.history.push({ clientId: this.id, input, call, output, return: this.sim.now() });
        return result.reply.value;
      }
      this.stats.retries++;
      await this.sim.sleep(20);
    }
  }
}
