import type { Clock } from "@lab/labrpc";
import type { KvInput, KvOutput, Operation } from "@lab/porcupine";
import { ClerkBusyError, KvUsageError } from "../errors.js";
import type { Clerk } from "../kvsrv/clerk.js";

/** Receives each completed (or abandoned) clerk operation, for the porcupine history. */
export type OperationSink = (operation: Operation<KvInput, KvOutput>) => void;

/**
 * What a harness records: a clerk with the course's three operations. An `append` that resolves
 * to a string returns the old value (kvsrv, checked by the model); one that resolves to nothing
 * (kvraft) is recorded without output.
 */
export interface RecordableClerk {
  get(key: string): Promise<string>;
  put(key: string, value: string): Promise<void>;
  append(key: string, arg: string): Promise<unknown>;
}

/** What a clerk's `append` resolves to. */
type AppendResult<C extends RecordableClerk> = Awaited<ReturnType<C["append"]>>;

/**
 * A harness clerk: a clerk on its own ends whose calls are recorded, from invocation to answer
 * in virtual milliseconds, as porcupine operations (unless recording is off, as in the memory
 * scenarios, where a history would keep every value alive).
 */
export class TestClerk<C extends RecordableClerk = Clerk> {
  constructor(
    /** The clerk's number in the harness: its lane in the history and in reports. */
    readonly index: number,
    /** The names of its ends on the simulated network (one per server). */
    readonly endNames: readonly string[],
    /** The clerk itself. */
    readonly clerk: C,
    readonly clock: Clock,
    readonly sink: OperationSink | undefined,
  ) {}

  /** The name of its first end (for kvsrv, its only one). */
  get endName(): string {
    return this.endNames[0] as string;
  }

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

  /** `clerk.append(key, arg)`, recorded with the old value when the clerk returns one. */
  append(key: string, arg: string): Promise<AppendResult<C>> {
    return this.#recorded({ op: "append", key, value: arg }, async () => {
      const old = (await this.clerk.append(key, arg)) as AppendResult<C>;
      return [old, typeof old === "string" ? { type: "ok", value: old } : { type: "ok" }];
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
