import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkOperationsSync,
  type EtcdInput,
  type EtcdOutput,
  etcdModel,
  ILLEGAL,
  type KvInput,
  type KvOutput,
  kvModel,
  type Model,
  nextStates,
  type Operation,
  type RegisterInput,
  type RegisterOutput,
  registerModel,
  UNKNOWN_OUTPUT,
} from "../src/index.js";
import { bruteForceLinearizable, isLegalSequence } from "./brute-force.js";

const SEED = Number(process.env.FC_SEED ?? 20240611);
const RUNS = Number(process.env.FC_RUNS ?? 400);

/** Timing of one operation: call in 0..12, duration 0..5, or never returning. Small ranges make ties common. */
const timing = fc.record({
  call: fc.integer({ min: 0, max: 12 }),
  duration: fc.integer({ min: 0, max: 5 }),
  client: fc.integer({ min: 0, max: 3 }),
});

function history<I, O>(
  body: fc.Arbitrary<[I, O]>,
  unknownOutput: O,
  maxLength = 7,
): fc.Arbitrary<Operation<I, O>[]> {
  return fc
    .array(fc.tuple(timing, body, fc.integer({ min: 0, max: 9 })), { minLength: 1, maxLength })
    .map((ops) =>
      ops.map(([t, [input, output], dice]) => {
        const pending = dice === 0;
        return {
          clientId: t.client,
          input,
          call: t.call,
          output: pending ? unknownOutput : output,
          return: pending ? Number.POSITIVE_INFINITY : t.call + t.duration,
        };
      }),
    );
}

/** Checks the checker against brute force, and any linearization or prefix it reports. */
function agreesWithBruteForce<S, I, O>(
  model: Model<S, I, O>,
  ops: Operation<I, O>[],
  keyOf: (input: I) => string = () => "",
): void {
  // Independent keys are independent registers: the definition applied key by key, grouped here
  // without the model's own partition function.
  const keys = [...new Set(ops.map((o) => keyOf(o.input)))];
  const linearizable = keys.every((k) =>
    bruteForceLinearizable(
      model,
      ops.filter((o) => keyOf(o.input) === k),
    ),
  );
  const expected = linearizable ? "ok" : "illegal";
  const result = checkOperationsSync(model, ops, { collectInfo: true });
  expect(result.result).toBe(expected);
  for (const p of result.partitions) {
    if (p.result === "ok") {
      expect([...p.linearization!].sort((a, b) => a - b)).toEqual(p.operations);
      expect(isLegalSequence(model, ops, p.linearization!)).toBe(true);
    }
    if (p.result === "illegal") {
      for (const partial of p.partialLinearizations!) {
        expect(isLegalSequence(model, ops, partial.operations)).toBe(true);
        expect(partial.operations).not.toContain(partial.stuckOperation);
        expect(partial.states).toHaveLength(partial.operations.length);
      }
    }
  }
}

const value = fc.constantFrom("a", "b", "c");
const kvBody: fc.Arbitrary<[KvInput, KvOutput]> = fc.oneof(
  fc
    .tuple(fc.constantFrom("x", "y"), fc.constantFrom("", "a", "b", "ab", "ba", "bb", "c"))
    .map(([key, v]): [KvInput, KvOutput] => [
      { op: "get", key },
      { type: "ok", value: v },
    ]),
  fc
    .tuple(fc.constantFrom("x", "y"), value)
    .map(([key, v]): [KvInput, KvOutput] => [{ op: "put", key, value: v }, { type: "ok" }]),
  fc
    .tuple(fc.constantFrom("x", "y"), value)
    .map(([key, v]): [KvInput, KvOutput] => [{ op: "append", key, value: v }, { type: "ok" }]),
  // kvsrv's append, returning the old value.
  fc
    .tuple(fc.constantFrom("x", "y"), value, fc.constantFrom("", "a", "b", "ab", "ba"))
    .map(([key, v, old]): [KvInput, KvOutput] => [
      { op: "append", key, value: v },
      { type: "ok", value: old },
    ]),
);

const small = fc.integer({ min: 0, max: 2 });
const etcdBody: fc.Arbitrary<[EtcdInput, EtcdOutput]> = fc.oneof(
  fc
    .option(small, { nil: null })
    .map((v): [EtcdInput, EtcdOutput] => [{ op: "read" }, { type: "ok", value: v }]),
  small.map((v): [EtcdInput, EtcdOutput] => [{ op: "write", value: v }, { type: "ok" }]),
  fc
    .tuple(small, small, fc.constantFrom("ok", "fail", "unknown"))
    .map(([from, to, type]): [EtcdInput, EtcdOutput] => [
      { op: "cas", from, to },
      type === "unknown" ? UNKNOWN_OUTPUT : type === "fail" ? { type: "fail" } : { type: "ok" },
    ]),
);

const registerBody: fc.Arbitrary<[RegisterInput, RegisterOutput]> = fc.oneof(
  small.map((v): [RegisterInput, RegisterOutput] => [{ op: "read" }, { type: "ok", value: v }]),
  small.map((v): [RegisterInput, RegisterOutput] => [{ op: "write", value: v }, { type: "ok" }]),
);

/** A register whose writes may be lost: a nondeterministic model. */
type LossyInput = { op: "write"; value: number } | { op: "read" };
const lossy: Model<number, LossyInput, number | null> = {
  init: () => 0,
  step: (state, input, output) =>
    input.op === "write"
      ? nextStates([input.value, state])
      : output === null || output === state
        ? state
        : ILLEGAL,
};
const lossyBody: fc.Arbitrary<[LossyInput, number | null]> = fc.oneof(
  small.map((v): [LossyInput, number | null] => [{ op: "read" }, v]),
  small.map((v): [LossyInput, number | null] => [{ op: "write", value: v }, null]),
);

describe("checker against brute force on small random histories", () => {
  it("kv model (two keys, so also partitions)", () => {
    fc.assert(
      fc.property(history(kvBody, UNKNOWN_OUTPUT), (ops) =>
        agreesWithBruteForce(kvModel(), ops, (i) => i.key),
      ),
      {
        seed: SEED,
        numRuns: RUNS,
      },
    );
  });

  it("etcd model (CAS, failures and unknown outcomes)", () => {
    fc.assert(
      fc.property(history(etcdBody, UNKNOWN_OUTPUT), (ops) =>
        agreesWithBruteForce(etcdModel(), ops),
      ),
      {
        seed: SEED,
        numRuns: RUNS,
      },
    );
  });

  it("register model", () => {
    fc.assert(
      fc.property(history(registerBody, UNKNOWN_OUTPUT), (ops) =>
        agreesWithBruteForce(registerModel(), ops),
      ),
      {
        seed: SEED,
        numRuns: RUNS,
      },
    );
  });

  it("a nondeterministic model", () => {
    fc.assert(
      fc.property(history(lossyBody, null), (ops) => agreesWithBruteForce(lossy, ops)),
      {
        seed: SEED,
        numRuns: RUNS,
      },
    );
  });

  it("produces both verdicts often enough to be a real comparison", () => {
    const verdicts = fc
      .sample(history(registerBody, UNKNOWN_OUTPUT), { seed: SEED, numRuns: 200 })
      .map((ops) => checkOperationsSync(registerModel(), ops).result);
    expect(verdicts.filter((v) => v === "ok").length).toBeGreaterThan(20);
    expect(verdicts.filter((v) => v === "illegal").length).toBeGreaterThan(20);
  });
});
