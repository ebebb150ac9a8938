import type { Operation, UnknownOutput } from "../history.js";
import { ILLEGAL, type Model, type StepResult } from "../model.js";
import { FNV_OFFSET_BASIS, fnv1a32 } from "./fnv.js";

/**
 * An operation on a key/value store: the course's kvraft `Get`, `Put` and `Append` (and kvsrv's
 * `Append`, which also returns the value it appended to: see {@link KvOutput}).
 */
export type KvInput =
  | { readonly op: "get"; readonly key: string }
  | { readonly op: "put"; readonly key: string; readonly value: string }
  | { readonly op: "append"; readonly key: string; readonly value: string };

/**
 * What a key/value operation answered: `{ type: "ok", value }` for a get (the value read, `""` for
 * a missing key), `{ type: "ok" }` for a put or an append, `{ type: "unknown" }` when the client
 * never heard back (any value, and the write may or may not have happened).
 *
 * An append may also answer `{ type: "ok", value }`: the value the key held just before the
 * append (the course's kvsrv `Append`, "append returning the old value"). The model then checks
 * that value as it checks a get's, so it must equal the key's value where the append is
 * linearized. An append without `value` is not checked against anything.
 */
export type KvOutput = { readonly type: "ok"; readonly value?: string } | UnknownOutput;

/**
 * The state of one partition of the key/value model: the value of that partition's key, and its
 * FNV-1a hash, kept beside it so that an append hashes only the appended text (a key's value
 * grows long over a history, and hashing all of it on every step would dominate the search).
 */
export interface KvState {
  readonly value: string;
  readonly hash: number;
}

const EMPTY: KvState = Object.freeze({ value: "", hash: FNV_OFFSET_BASIS });

/**
 * The key/value model of the course's kvsrv, kvraft and shardkv tests: get, put and append on
 * string values, partitioned by key (each key is an independent register of strings, initially
 * `""`). An append whose output carries a `value` is kvsrv's append returning the old value.
 */
export function kvModel(): Model<KvState, KvInput, KvOutput> {
  return {
    init: () => EMPTY,
    step(state: KvState, input: KvInput, output: KvOutput): StepResult<KvState> {
      switch (input.op) {
        case "get":
          return output.type === "unknown" || output.value === state.value ? state : ILLEGAL;
        case "put":
          return { value: input.value, hash: fnv1a32(input.value) };
        case "append":
          if (output.type === "ok" && output.value !== undefined && output.value !== state.value)
            return ILLEGAL;
          return { value: state.value + input.value, hash: fnv1a32(input.value, state.hash) };
      }
    },
    equal: (a, b) => a === b || (a.hash === b.hash && a.value === b.value),
    hash: (state) => state.hash,
    partition(history: readonly Operation<KvInput, KvOutput>[]) {
      const byKey = new Map<string, Operation<KvInput, KvOutput>[]>();
      for (const op of history) {
        const part = byKey.get(op.input.key);
        if (part) part.push(op);
        else byKey.set(op.input.key, [op]);
      }
      return [...byKey.values()];
    },
    pendingOutput: () => ({ type: "unknown" }),
    describeOperation(input: KvInput, output: KvOutput): string {
      const key = JSON.stringify(input.key);
      switch (input.op) {
        case "get":
          return `get(${key}) -> ${output.type === "unknown" ? "?" : JSON.stringify(output.value ?? "")}`;
        case "put":
          return `put(${key}, ${JSON.stringify(input.value)})${output.type === "unknown" ? " ?" : ""}`;
        case "append":
          return `append(${key}, ${JSON.stringify(input.value)})${
            output.type === "unknown"
              ? " ?"
              : output.value === undefined
                ? ""
                : ` -> ${JSON.stringify(output.value)}`
          }`;
      }
    },
    describeState: (state) => JSON.stringify(state.value),
    portable: { kind: "builtin", name: "kv" },
  };
}
