import type { Clock } from "@lab/labrpc";
import type { KvInput, KvOutput, Operation } from "@lab/porcupine";
import { ClerkBusyError, KvUsageError } from "../../errors.js";
import type { Clerk } from "../../kvsrv/clerk.js";

/** Receives each completed (or abandoned) clerk operation, for the porcupine history. */
export type OperationSink = (operation: Operation<KvInput, KvOutput>) => void;

/**
 * A harness clerk: a {@link Clerk} on its own end whose calls are recorded, from invocation to
 * answer in virtual milliseconds, as porcupine operations (unless recording is off, as in the
 * memory scenarios, where a history would keep every value alive).
 */
export class TestClerk {
  constructor(
    /** The clerk's number in the harness: its lane in the history and in reports. */
    readonly index: number,
    /** The name of its end on the simulated network. */
    readonly endName: string,
    /** The clerk itself. */
    readonly clerk: Clerk,
    readonly clock: Clock,
    readonly sink: OperationSink | undefined,
  ) {}

  /** `clerk.get(key)`, recorded. */
  get(key: string): Promise<string> {
    return this.#recorded({ op: "get", key }, async () => {
      const value = await this.clerk.get(key);
      return [value, { type: "ok", value }];
    });
  }

  /** `clerk.put(key, value)`, recorded. */
  put(key: string, value: string): Promise<void> {
    return this.#recorded({ op: "put", key, value }, async () => {
      await this.clerk.put(key, value);
      return [undefined, { type: "ok" }];
    });
  }

  /** `clerk.append(key, arg)`, recorded with the old value it returned. */
  append(key: string, arg: string): Promise<string> {
    return this.#recorded({ op: "append", key, value: arg }, async () => {
      const old = await this.clerk.append(key, arg);
      return [old, { type: "ok", value: old }];
    });
  }

  async #recorded<T>(input: KvInput, run: () => Promise<[T, KvOutput]>): Promise<T> {
    const sink = this.sink;
    if (sink === undefined) return (await run())[0];
    const call = this.clock.now();
    let result: [T, KvOutput];
    try {
      result = await run();
    } catch (error) {
      // A refused call (bad argument, busy clerk) sent nothing. Otherwise (the end was closed
      // mid-call) the outcome is unknown: it may have taken effect, or may never.
      if (!(error instanceof KvUsageError || error instanceof ClerkBusyError)) {
        sink({
          clientId: this.index,
          input,
          call,
          output: { type: "unknown" },
          return: Number.POSITIVE_INFINITY,
        });
      }
      throw error;
    }
    sink({ clientId: this.index, input, call, output: result[1], return: this.clock.now() });
    return result[0];
  }
}
