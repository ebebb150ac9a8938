import type { UnknownOutput } from "../history.js";
import { ILLEGAL, type Model, type StepResult } from "../model.js";

/** An operation on a single etcd key, as Jepsen's etcd test issues them. */
export type EtcdInput =
  | { readonly op: "read" }
  | { readonly op: "write"; readonly value: number }
  | { readonly op: "cas"; readonly from: number; readonly to: number };

/**
 * What an etcd operation answered. `ok`: a read's value (`null` when the key is absent), a
 * completed write, a successful compare-and-set. `fail`: the operation definitely did not take
 * effect (for a compare-and-set: the compare failed). `unknown`: timed out or crashed, so it may
 * or may not have taken effect, and a read may have seen anything.
 */
export type EtcdOutput =
  | { readonly type: "ok"; readonly value?: number | null }
  | { readonly type: "fail" }
  | UnknownOutput;

/** The register's value; `null` while the key is absent. */
export type EtcdState = number | null;

/**
 * A read / write / compare-and-set register with indeterminate operations, as Jepsen's etcd
 * tests record them. A compare-and-set whose outcome is unknown applies when its compare holds
 * at the point where it is linearized; "it never happened" is covered by linearizing it after
 * everything else, which an operation that never returned may always do.
 */
export function etcdModel(): Model<EtcdState, EtcdInput, EtcdOutput> {
  return {
    init: () => null,
    step(state: EtcdState, input: EtcdInput, output: EtcdOutput): StepResult<EtcdState> {
      switch (input.op) {
        case "read":
          if (output.type !== "ok") return state;
          return output.value === state ? state : ILLEGAL;
        case "write":
          return output.type === "fail" ? state : input.value;
        case "cas":
          if (output.type === "ok") return state === input.from ? input.to : ILLEGAL;
          if (output.type === "fail") return state === input.from ? ILLEGAL : state;
          return state === input.from ? input.to : state;
      }
    },
    equal: (a, b) => a === b,
    hash: (state) => (state === null ? 0x7ffffffd : state | 0),
    pendingOutput: () => ({ type: "unknown" }),
    describeOperation(input: EtcdInput, output: EtcdOutput): string {
      const suffix = output.type === "unknown" ? " ?" : output.type === "fail" ? " failed" : "";
      switch (input.op) {
        case "read":
          return output.type === "ok"
            ? `read() -> ${String(output.value ?? null)}`
            : `read()${suffix}`;
        case "write":
          return `write(${input.value})${suffix}`;
        case "cas":
          return `cas(${input.from}, ${input.to})${suffix}`;
      }
    },
    describeState: (state) => (state === null ? "absent" : String(state)),
    portable: { kind: "builtin", name: "etcd" },
  };
}
