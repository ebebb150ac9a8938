import type { UnknownOutput } from "../history.js";
import { ILLEGAL, type Model, type StepResult } from "../model.js";

/** A value a plain register holds: any JSON primitive. */
export type RegisterValue = string | number | boolean | null;

/** A read or a write of a plain register. */
export type RegisterInput<Value extends RegisterValue = RegisterValue> =
  | { readonly op: "read" }
  | { readonly op: "write"; readonly value: Value };

/**
 * What a register operation answered: `{ type: "ok", value }` for a read, `{ type: "ok" }` for a
 * write, `{ type: "unknown" }` when the client never heard back.
 */
export type RegisterOutput<Value extends RegisterValue = RegisterValue> =
  | { readonly type: "ok"; readonly value?: Value }
  | UnknownOutput;

/** Options of {@link registerModel}. */
export interface RegisterModelOptions<Value extends RegisterValue> {
  /** The value before any write. Default: `0`. */
  readonly initial?: Value;
}

/** A plain read/write register (no partitions): the textbook linearizable object. */
export function registerModel<Value extends RegisterValue = number>(
  options: RegisterModelOptions<Value> = {},
): Model<Value, RegisterInput<Value>, RegisterOutput<Value>> {
  const initial = (options.initial ?? 0) as Value;
  return {
    init: () => initial,
    step(
      state: Value,
      input: RegisterInput<Value>,
      output: RegisterOutput<Value>,
    ): StepResult<Value> {
      if (input.op === "write") return input.value;
      return output.type === "unknown" || output.value === state ? state : ILLEGAL;
    },
    equal: (a, b) => a === b,
    pendingOutput: () => ({ type: "unknown" }),
    describeOperation(input: RegisterInput<Value>, output: RegisterOutput<Value>): string {
      if (input.op === "write")
        return `write(${JSON.stringify(input.value)})${output.type === "unknown" ? " ?" : ""}`;
      return `read() -> ${output.type === "unknown" ? "?" : JSON.stringify(output.value ?? null)}`;
    },
    describeState: (state) => JSON.stringify(state),
    portable: { kind: "builtin", name: "register", options: { initial } },
  };
}
