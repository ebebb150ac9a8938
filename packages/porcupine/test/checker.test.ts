import { describe, expect, it, vi } from "vitest";
import {
  checkEventsSync,
  checkOperations,
  checkOperationsSync,
  eventsToOperations,
  type HistoryEvent,
  HistoryParseError,
  InvalidHistoryError,
  InvalidOptionError,
  isPorcupineError,
  type KvInput,
  type KvOutput,
  type KvState,
  kvModel,
  type Model,
  ModelContractError,
  type Operation,
  PorcupineError,
  type RegisterInput,
  type RegisterOutput,
  registerModel,
} from "../src/index.js";
import { op } from "./helpers.js";
import { explodingKvPartition } from "./pathological.js";

const put = (
  client: number,
  call: number,
  ret: number,
  key: string,
  value: string,
): Operation<KvInput, KvOutput> => op(client, call, ret, { op: "put", key, value }, { type: "ok" });
const get = (
  client: number,
  call: number,
  ret: number,
  key: string,
  value: string,
): Operation<KvInput, KvOutput> => op(client, call, ret, { op: "get", key }, { type: "ok", value });

describe("checker results", () => {
  it("answers ok for an empty history", () => {
    const result = checkOperationsSync(kvModel(), []);
    expect(result).toEqual({ result: "ok", partitions: [], operations: 0, parallel: false });
  });

  it("gives a valid linearization of each legal partition with collectInfo", () => {
    const history = [
      put(0, 0, 10, "k", "a"),
      get(1, 1, 2, "k", "a"),
      get(2, 3, 4, "k", "a"),
      put(3, 5, 6, "j", "b"),
    ];
    const result = checkOperationsSync(kvModel(), history, { collectInfo: true });
    expect(result.result).toBe("ok");
    expect(result.partitions.map((p) => p.linearization)).toEqual([[0, 1, 2], [3]]);
  });

  it("reports the longest linearizable prefix and the operation it gets stuck on", () => {
    const history: Operation<RegisterInput, RegisterOutput>[] = [
      op(0, 0, 10, { op: "write", value: 1 }, { type: "ok" }),
      op(1, 1, 2, { op: "read" }, { type: "ok", value: 1 }),
      op(2, 3, 4, { op: "read" }, { type: "ok", value: 0 }),
    ];
    const result = checkOperationsSync(registerModel(), history, { collectInfo: true });
    expect(result.result).toBe("illegal");
    expect(result.partitions[0]?.partialLinearizations).toEqual([
      { operations: [0, 1], states: [1, 1], stuckOperation: 2 },
    ]);
  });

  it("leaves out linearizations unless asked", () => {
    const result = checkOperationsSync(kvModel(), [put(0, 0, 1, "k", "a"), get(0, 2, 3, "k", "b")]);
    expect(result.result).toBe("illegal");
    expect(result.partitions[0]).not.toHaveProperty("partialLinearizations");
  });

  it("stops at the first illegal partition and skips the rest", () => {
    const history = [
      ...explodingKvPartition("slow", 14),
      put(50, 0, 1, "bad", "x"),
      get(50, 2, 3, "bad", "y"),
    ];
    const result = checkOperationsSync(kvModel(), history);
    expect(result.result).toBe("illegal");
    expect(result.partitions.map((p) => p.result)).toEqual(["skipped", "illegal"]);
  });

  it("answers illegal when one partition is illegal and another hit the memory cap", () => {
    // The illegal partition is the larger one, so the exploding one is searched first.
    const bad = [
      put(50, 0, 1, "bad", "x"),
      ...Array.from({ length: 20 }, (_, i) => get(51, 2 + 2 * i, 3 + 2 * i, "bad", "x")),
    ];
    bad.push(get(52, 100, 101, "bad", "y"));
    const result = checkOperationsSync(kvModel(), [...explodingKvPartition("slow", 12), ...bad], {
      memoryLimitBytes: 1_000_000,
    });
    expect(result.result).toBe("illegal");
    expect(result.partitions.map((p) => [p.result, p.reason])).toEqual([
      ["unknown", "memory"],
      ["illegal", undefined],
    ]);
  });
});

describe("limits", () => {
  it("ends a pathological search with unknown at the memory cap", () => {
    const result = checkOperationsSync(kvModel(), explodingKvPartition("k", 12), {
      memoryLimitBytes: 2_000_000,
    });
    expect(result).toMatchObject({ result: "unknown", reason: "memory" });
    expect(result.partitions[0]?.steps).toBeGreaterThan(0);
  });

  it("ends a pathological search with unknown at the timeout", () => {
    // Deciding this history takes hours: the verdict cannot depend on the machine's speed.
    const result = checkOperationsSync(kvModel(), explodingKvPartition("k", 13), { timeoutMs: 50 });
    expect(result).toMatchObject({ result: "unknown", reason: "timeout" });
  });

  it("ends a pathological search with unknown at the timeout, asynchronously too", async () => {
    const result = await checkOperations(kvModel(), explodingKvPartition("k", 13), {
      timeoutMs: 50,
      parallel: false,
    });
    expect(result).toMatchObject({ result: "unknown", reason: "timeout", parallel: false });
  });

  it("rejects invalid options", () => {
    expect(() => checkOperationsSync(kvModel(), [], { timeoutMs: -1 })).toThrow(InvalidOptionError);
    expect(() => checkOperationsSync(kvModel(), [], { memoryLimitBytes: 0 })).toThrow(
      InvalidOptionError,
    );
    expect(() => checkOperationsSync(kvModel(), [], { parallel: 1.5 })).toThrow(/parallel must be/);
  });
});

describe("history validation", () => {
  it.each([
    ["a return before its call", [put(0, 5, 4, "k", "a")], /returns at 4, before its call at 5/],
    [
      "a call that is not a number",
      [{ ...put(0, 0, 1, "k", "a"), call: Number.NaN }],
      /call time must be a finite number/,
    ],
    [
      "an infinite call",
      [{ ...put(0, 0, 1, "k", "a"), call: Number.POSITIVE_INFINITY }],
      /call time/,
    ],
    [
      "a NaN return",
      [{ ...put(0, 0, 1, "k", "a"), return: Number.NaN }],
      /return time must be a number/,
    ],
    [
      "a missing client",
      [{ ...put(0, 0, 1, "k", "a"), clientId: undefined as unknown as number }],
      /clientId/,
    ],
  ])("rejects %s", (_, history, message) => {
    expect(() => checkOperationsSync(kvModel(), history)).toThrow(InvalidHistoryError);
    expect(() => checkOperationsSync(kvModel(), history)).toThrow(message);
  });

  it("rejects asynchronously through the promise", async () => {
    await expect(checkOperations(kvModel(), [put(0, 5, 4, "k", "a")])).rejects.toBeInstanceOf(
      InvalidHistoryError,
    );
  });
});

describe("events", () => {
  const events: HistoryEvent<KvInput, KvOutput>[] = [
    { kind: "call", clientId: 0, id: "a", value: { op: "put", key: "k", value: "1" } },
    { kind: "call", clientId: 1, id: "b", value: { op: "get", key: "k" } },
    { kind: "return", clientId: 0, id: "a", value: { type: "ok" } },
    { kind: "return", clientId: 1, id: "b", value: { type: "ok", value: "1" } },
    { kind: "call", clientId: 2, id: "c", value: { op: "put", key: "k", value: "2" } },
  ];

  it("pairs calls and returns, using positions as times and pendingOutput for missing returns", () => {
    expect(eventsToOperations(events, () => ({ type: "unknown" }))).toEqual([
      {
        clientId: 0,
        input: { op: "put", key: "k", value: "1" },
        call: 0,
        output: { type: "ok" },
        return: 2,
      },
      {
        clientId: 1,
        input: { op: "get", key: "k" },
        call: 1,
        output: { type: "ok", value: "1" },
        return: 3,
      },
      {
        clientId: 2,
        input: { op: "put", key: "k", value: "2" },
        call: 4,
        output: { type: "unknown" },
        return: Number.POSITIVE_INFINITY,
      },
    ]);
  });

  it("checks histories of events", () => {
    expect(checkEventsSync(kvModel(), events).result).toBe("ok");
    const stale: HistoryEvent<KvInput, KvOutput>[] = [
      ...events.slice(0, 4),
      { kind: "call", clientId: 3, id: "d", value: { op: "get", key: "k" } },
      { kind: "return", clientId: 3, id: "d", value: { type: "ok", value: "" } },
    ];
    expect(checkEventsSync(kvModel(), stale).result).toBe("illegal");
  });

  it("uses explicit times when given", () => {
    const timed: HistoryEvent<KvInput, KvOutput>[] = [
      { kind: "call", clientId: 0, id: 1, value: { op: "put", key: "k", value: "1" }, time: 100 },
      { kind: "return", clientId: 0, id: 1, value: { type: "ok" }, time: 200 },
    ];
    expect(eventsToOperations(timed)).toEqual([
      {
        clientId: 0,
        input: { op: "put", key: "k", value: "1" },
        call: 100,
        output: { type: "ok" },
        return: 200,
      },
    ]);
  });

  it.each([
    [
      "a return without a call",
      [{ kind: "return", clientId: 0, id: 1, value: { type: "ok" } }],
      /without an earlier call/,
    ],
    [
      "a duplicate call id",
      [
        { kind: "call", clientId: 0, id: 1, value: { op: "get", key: "k" } },
        { kind: "call", clientId: 1, id: 1, value: { op: "get", key: "k" } },
      ],
      /second call with id 1/,
    ],
    [
      "a return from another client",
      [
        { kind: "call", clientId: 0, id: 1, value: { op: "get", key: "k" } },
        { kind: "return", clientId: 1, id: 1, value: { type: "ok", value: "" } },
      ],
      /comes from client 1/,
    ],
    [
      "a return before its call",
      [
        { kind: "call", clientId: 0, id: 1, value: { op: "get", key: "k" }, time: 5 },
        { kind: "return", clientId: 0, id: 1, value: { type: "ok", value: "" }, time: 4 },
      ],
      /return at 4 before its call at 5/,
    ],
    ["an unknown kind", [{ kind: "crash", clientId: 0, id: 1, value: null }], /kind must be/],
  ] as [string, HistoryEvent<KvInput, KvOutput>[], RegExp][])("rejects %s", (_, bad, message) => {
    expect(() => checkEventsSync(kvModel(), bad)).toThrow(InvalidHistoryError);
    expect(() => checkEventsSync(kvModel(), bad)).toThrow(message);
  });

  it("rejects a call without a return when the model has no pendingOutput", () => {
    const model: Model<number, null, null> = { init: () => 0, step: (s) => s };
    expect(() =>
      checkEventsSync(model, [{ kind: "call", clientId: 0, id: 1, value: null }]),
    ).toThrow(/pendingOutput/);
  });
});

describe("model contract", () => {
  const base: Model<KvState, KvInput, KvOutput> = kvModel();
  const history = [put(0, 0, 1, "a", "x"), put(0, 2, 3, "b", "y")];

  it("rejects partitions of copies, duplicates or missing operations", () => {
    const copies = {
      ...base,
      partition: (h: readonly Operation<KvInput, KvOutput>[]) => [h.map((o) => ({ ...o }))],
    };
    expect(() => checkOperationsSync(copies, history)).toThrow(ModelContractError);
    const twice = { ...base, partition: (h: readonly Operation<KvInput, KvOutput>[]) => [h, h] };
    expect(() => checkOperationsSync(twice, history)).toThrow(/more than one partition/);
    const missing = {
      ...base,
      partition: (h: readonly Operation<KvInput, KvOutput>[]) => [h.slice(1)],
    };
    expect(() => checkOperationsSync(missing, history)).toThrow(/left operation 0 out/);
  });

  it("checks without partition as one partition, with Object.is as default equality", () => {
    const counter: Model<number, "inc" | "read", number> = {
      init: () => 0,
      step: (s, input, output) =>
        input === "inc"
          ? s + 1
          : output === s
            ? s
            : (Symbol.for("@lab/porcupine.illegal") as never),
    };
    const result = checkOperationsSync(counter, [
      op(0, 0, 5, "inc", 0),
      op(1, 1, 2, "read", 1),
      op(2, 3, 4, "read", 1),
    ]);
    expect(result.result).toBe("ok");
    expect(result.partitions).toHaveLength(1);
  });
});

describe("errors", () => {
  it("carry stable codes and the class hierarchy", () => {
    const error = new HistoryParseError("f.txt", 3, "bad line");
    expect(error).toBeInstanceOf(PorcupineError);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(InvalidHistoryError);
    expect(error.code).toBe("LAB_PORCUPINE_HISTORY_PARSE");
    expect(error.name).toBe("HistoryParseError");
    expect(error.message).toBe("f.txt:3: bad line");
    expect(new InvalidHistoryError("x").code).toBe("LAB_PORCUPINE_INVALID_HISTORY");
    expect(isPorcupineError(error, HistoryParseError)).toBe(true);
    expect(isPorcupineError(new Error("plain"))).toBe(false);
  });

  it("survive the package being loaded twice", async () => {
    vi.resetModules();
    const copy = (await import(
      "../src/errors.js?copy=2" as string
    )) as typeof import("../src/errors.js");
    expect(copy.HistoryParseError).not.toBe(HistoryParseError);
    const fromCopy = new copy.HistoryParseError("f", 1, "r");
    expect(fromCopy).toBeInstanceOf(HistoryParseError);
    expect(fromCopy).toBeInstanceOf(PorcupineError);
    expect(new HistoryParseError("f", 1, "r")).toBeInstanceOf(copy.HistoryParseError);
    expect(new InvalidHistoryError("x")).not.toBeInstanceOf(copy.HistoryParseError);
  });
});
