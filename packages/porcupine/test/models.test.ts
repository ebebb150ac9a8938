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
import { op } from "./helpers.js";

const kv = kvModel();
const get = (key: string, value: string | null): [KvInput, KvOutput] => [
  { op: "get", key },
  value === null ? UNKNOWN_OUTPUT : { type: "ok", value },
];
const put = (key: string, value: string): [KvInput, KvOutput] => [
  { op: "put", key, value },
  { type: "ok" },
];
const append = (key: string, value: string): [KvInput, KvOutput] => [
  { op: "append", key, value },
  { type: "ok" },
];
/** kvsrv's append, which returns the value it appended to. */
const appendOld = (key: string, value: string, old: string): [KvInput, KvOutput] => [
  { op: "append", key, value },
  { type: "ok", value: old },
];
const kvOp = (client: number, call: number, ret: number, [input, output]: [KvInput, KvOutput]) =>
  op(client, call, ret, input, output);
const verdict = <S, I, O>(model: Model<S, I, O>, history: Operation<I, O>[]) =>
  checkOperationsSync(model, history).result;

describe("kv model", () => {
  it("accepts a sequential history and rejects a stale read", () => {
    const good = [
      kvOp(0, 0, 1, put("x", "a")),
      kvOp(0, 2, 3, append("x", "b")),
      kvOp(1, 4, 5, get("x", "ab")),
    ];
    expect(verdict(kv, good)).toBe("ok");
    const bad = [
      kvOp(0, 0, 1, put("x", "a")),
      kvOp(0, 2, 3, append("x", "b")),
      kvOp(1, 4, 5, get("x", "a")),
    ];
    expect(verdict(kv, bad)).toBe("illegal");
  });

  it("reads the empty string from a key never written", () => {
    expect(verdict(kv, [kvOp(0, 0, 1, get("k", ""))])).toBe("ok");
    expect(verdict(kv, [kvOp(0, 0, 1, get("k", "v"))])).toBe("illegal");
  });

  it("lets a read concurrent with a write see either value", () => {
    const base = kvOp(0, 0, 1, put("x", "old"));
    const write = kvOp(0, 2, 10, put("x", "new"));
    expect(verdict(kv, [base, write, kvOp(1, 3, 4, get("x", "old"))])).toBe("ok");
    expect(verdict(kv, [base, write, kvOp(1, 3, 4, get("x", "new"))])).toBe("ok");
    expect(verdict(kv, [base, write, kvOp(1, 3, 4, get("x", "other"))])).toBe("illegal");
  });

  it("forbids a read going back in time after another read saw the new value", () => {
    const history = [
      kvOp(0, 0, 1, put("x", "old")),
      kvOp(0, 2, 20, put("x", "new")),
      kvOp(1, 3, 4, get("x", "new")),
      kvOp(2, 5, 6, get("x", "old")),
    ];
    expect(verdict(kv, history)).toBe("illegal");
  });

  it("treats operations touching at the same instant as concurrent", () => {
    // The put returns at 5 and the get is called at 5: either order is allowed, so a get that
    // saw the value before the put is fine. One tick later it is a violation.
    const touching = [kvOp(0, 0, 5, put("x", "a")), kvOp(1, 5, 6, get("x", ""))];
    expect(verdict(kv, touching)).toBe("ok");
    const after = [kvOp(0, 0, 5, put("x", "a")), kvOp(1, 6, 7, get("x", ""))];
    expect(verdict(kv, after)).toBe("illegal");
  });

  it("accepts an instantaneous operation (call equal to return)", () => {
    expect(verdict(kv, [kvOp(0, 3, 3, put("x", "a")), kvOp(1, 4, 4, get("x", "a"))])).toBe("ok");
  });

  it("orders concurrent appends in any order, but only one order at a time", () => {
    const appends = [kvOp(0, 0, 10, append("x", "a")), kvOp(1, 0, 10, append("x", "b"))];
    expect(verdict(kv, [...appends, kvOp(2, 11, 12, get("x", "ba"))])).toBe("ok");
    expect(verdict(kv, [...appends, kvOp(2, 11, 12, get("x", "ab"))])).toBe("ok");
    // Two reads after both appends must agree on the order.
    expect(
      verdict(kv, [...appends, kvOp(2, 11, 12, get("x", "ab")), kvOp(3, 13, 14, get("x", "ba"))]),
    ).toBe("illegal");
  });

  it("lets a write that never returned take effect late, or never", () => {
    const lost = kvOp(0, 0, Number.POSITIVE_INFINITY, [
      { op: "put", key: "x", value: "a" },
      UNKNOWN_OUTPUT,
    ]);
    expect(verdict(kv, [lost, kvOp(1, 1, 2, get("x", ""))])).toBe("ok");
    expect(verdict(kv, [lost, kvOp(1, 1, 2, get("x", "a"))])).toBe("ok");
    expect(verdict(kv, [lost, kvOp(1, 1, 2, get("x", "a")), kvOp(1, 3, 4, get("x", ""))])).toBe(
      "illegal",
    );
  });

  it("accepts any value for a get whose answer is unknown", () => {
    expect(verdict(kv, [kvOp(0, 0, 1, put("x", "a")), kvOp(1, 2, 3, get("x", null))])).toBe("ok");
  });

  it("checks the old value an append returned (kvsrv) like a read", () => {
    const base = kvOp(0, 0, 1, put("x", "a"));
    expect(verdict(kv, [base, kvOp(0, 2, 3, appendOld("x", "b", "a"))])).toBe("ok");
    expect(verdict(kv, [base, kvOp(0, 2, 3, appendOld("x", "b", ""))])).toBe("illegal");
    expect(verdict(kv, [base, kvOp(0, 2, 3, appendOld("x", "b", "ab"))])).toBe("illegal");
    // The append still changes the value: a later read sees it.
    const later = kvOp(1, 4, 5, get("x", "ab"));
    expect(verdict(kv, [base, kvOp(0, 2, 3, appendOld("x", "b", "a")), later])).toBe("ok");
    // A missing key appends to "".
    expect(verdict(kv, [kvOp(0, 0, 1, appendOld("y", "b", ""))])).toBe("ok");
  });

  it("orders concurrent appends by the old values they returned", () => {
    const a = kvOp(0, 0, 10, appendOld("x", "a", "b"));
    const b = kvOp(1, 0, 10, appendOld("x", "b", ""));
    expect(verdict(kv, [a, b, kvOp(2, 11, 12, get("x", "ba"))])).toBe("ok");
    // Their old values say b went first, so the value must be "ba", not "ab".
    expect(verdict(kv, [a, b, kvOp(2, 11, 12, get("x", "ab"))])).toBe("illegal");
    // Two appends cannot both have seen "": one of them came second.
    const c = kvOp(0, 0, 10, appendOld("x", "a", ""));
    expect(verdict(kv, [c, b])).toBe("illegal");
    // An append applied twice (a duplicate the server failed to detect) shows in a later old value.
    const once = kvOp(0, 0, 1, appendOld("x", "a", ""));
    expect(verdict(kv, [once, kvOp(1, 2, 3, appendOld("x", "b", "aa"))])).toBe("illegal");
  });

  it("mixes appends with and without old values", () => {
    const history = [
      kvOp(0, 0, 1, append("x", "a")),
      kvOp(1, 2, 3, appendOld("x", "b", "a")),
      kvOp(0, 4, 5, append("x", "c")),
      kvOp(1, 6, 7, appendOld("x", "d", "abc")),
    ];
    expect(verdict(kv, history)).toBe("ok");
  });

  it("checks keys independently, one partition per key", () => {
    const history = [
      kvOp(0, 0, 1, put("x", "1")),
      kvOp(0, 2, 3, put("y", "2")),
      kvOp(1, 4, 5, get("x", "1")),
      kvOp(1, 6, 7, get("y", "3")),
    ];
    const result = checkOperationsSync(kv, history);
    expect(result.result).toBe("illegal");
    expect(result.partitions.map((p) => p.operations)).toEqual([
      [0, 2],
      [1, 3],
    ]);
  });
});

describe("etcd model", () => {
  const etcd = etcdModel();
  const e = (client: number, call: number, ret: number, input: EtcdInput, output: EtcdOutput) =>
    op(client, call, ret, input, output);
  const read = (value: number | null): EtcdOutput => ({ type: "ok", value });
  const ok: EtcdOutput = { type: "ok" };
  const failed: EtcdOutput = { type: "fail" };

  it("starts absent and reads what was written", () => {
    expect(verdict(etcd, [e(0, 0, 1, { op: "read" }, read(null))])).toBe("ok");
    expect(verdict(etcd, [e(0, 0, 1, { op: "read" }, read(0))])).toBe("illegal");
    expect(
      verdict(etcd, [
        e(0, 0, 1, { op: "write", value: 3 }, ok),
        e(1, 2, 3, { op: "read" }, read(3)),
      ]),
    ).toBe("ok");
  });

  it("applies a successful CAS only when the compare holds", () => {
    const w = e(0, 0, 1, { op: "write", value: 1 }, ok);
    expect(
      verdict(etcd, [
        w,
        e(0, 2, 3, { op: "cas", from: 1, to: 2 }, ok),
        e(1, 4, 5, { op: "read" }, read(2)),
      ]),
    ).toBe("ok");
    expect(verdict(etcd, [w, e(0, 2, 3, { op: "cas", from: 5, to: 2 }, ok)])).toBe("illegal");
  });

  it("accepts a failed CAS only when the compare does not hold", () => {
    const w = e(0, 0, 1, { op: "write", value: 1 }, ok);
    expect(
      verdict(etcd, [
        w,
        e(0, 2, 3, { op: "cas", from: 4, to: 2 }, failed),
        e(1, 4, 5, { op: "read" }, read(1)),
      ]),
    ).toBe("ok");
    expect(verdict(etcd, [w, e(0, 2, 3, { op: "cas", from: 1, to: 2 }, failed)])).toBe("illegal");
  });

  it("lets a CAS of unknown outcome apply or not", () => {
    const w = e(0, 0, 1, { op: "write", value: 1 }, ok);
    const cas = e(1, 2, Number.POSITIVE_INFINITY, { op: "cas", from: 1, to: 7 }, UNKNOWN_OUTPUT);
    expect(verdict(etcd, [w, cas, e(2, 3, 4, { op: "read" }, read(7))])).toBe("ok");
    expect(verdict(etcd, [w, cas, e(2, 3, 4, { op: "read" }, read(1))])).toBe("ok");
    expect(verdict(etcd, [w, cas, e(2, 3, 4, { op: "read" }, read(9))])).toBe("illegal");
    // Once seen applied, it cannot be unapplied.
    expect(
      verdict(etcd, [
        w,
        cas,
        e(2, 3, 4, { op: "read" }, read(7)),
        e(2, 5, 6, { op: "read" }, read(1)),
      ]),
    ).toBe("illegal");
  });

  it("accepts any value for a read that timed out, where it returned", () => {
    expect(verdict(etcd, [e(0, 0, 1, { op: "read" }, UNKNOWN_OUTPUT)])).toBe("ok");
  });

  it("a failed write had no effect", () => {
    const history = [
      e(0, 0, 1, { op: "write", value: 4 }, failed),
      e(1, 2, 3, { op: "read" }, read(4)),
    ];
    expect(verdict(etcd, history)).toBe("illegal");
  });
});

describe("register model", () => {
  const register = registerModel();
  const r = (
    client: number,
    call: number,
    ret: number,
    input: RegisterInput,
    output: RegisterOutput,
  ) => op(client, call, ret, input, output);

  it("starts at 0 by default, or at the given initial value", () => {
    expect(verdict(register, [r(0, 0, 1, { op: "read" }, { type: "ok", value: 0 })])).toBe("ok");
    expect(
      verdict(registerModel({ initial: "init" }), [
        r(0, 0, 1, { op: "read" }, { type: "ok", value: "init" }),
      ]),
    ).toBe("ok");
    expect(verdict(register, [r(0, 0, 1, { op: "read" }, { type: "ok", value: 1 })])).toBe(
      "illegal",
    );
  });

  it("finds the classic new-old inversion", () => {
    const history = [
      r(0, 0, 10, { op: "write", value: 1 }, { type: "ok" }),
      r(1, 1, 2, { op: "read" }, { type: "ok", value: 1 }),
      r(2, 3, 4, { op: "read" }, { type: "ok", value: 0 }),
    ];
    expect(verdict(register, history)).toBe("illegal");
    const swapped = [
      history[0]!,
      r(1, 1, 2, { op: "read" }, { type: "ok", value: 0 }),
      r(2, 3, 4, { op: "read" }, { type: "ok", value: 1 }),
    ];
    expect(verdict(register, swapped)).toBe("ok");
  });
});

describe("nondeterministic models", () => {
  // A register whose writes may be silently lost: a write leads to the new value or to the old.
  const lossy: Model<number, { op: "w"; v: number } | { op: "r" }, number | null> = {
    init: () => 0,
    step: (state, input, output) =>
      input.op === "w" ? nextStates([input.v, state]) : output === state ? state : ILLEGAL,
  };
  it("explores every possible next state", () => {
    const w = op(0, 0, 1, { op: "w" as const, v: 5 }, null);
    expect(verdict(lossy, [w, op(1, 2, 3, { op: "r" as const }, 5)])).toBe("ok");
    expect(verdict(lossy, [w, op(1, 2, 3, { op: "r" as const }, 0)])).toBe("ok");
    expect(verdict(lossy, [w, op(1, 2, 3, { op: "r" as const }, 7)])).toBe("illegal");
    // The second alternative is needed after the first one leads to a dead end later.
    expect(
      verdict(lossy, [
        w,
        op(1, 2, 3, { op: "r" as const }, 0),
        op(1, 4, 5, { op: "r" as const }, 0),
      ]),
    ).toBe("ok");
  });

  it("treats an empty list of next states as illegal", () => {
    const never: Model<number, null, null> = { init: () => 0, step: () => nextStates([]) };
    expect(verdict(never, [op(0, 0, 1, null, null)])).toBe("illegal");
  });
});

describe("model descriptions", () => {
  it("describe operations and states for reports", () => {
    expect(kv.describeOperation?.({ op: "get", key: "k" }, { type: "ok", value: "v" })).toBe(
      'get("k") -> "v"',
    );
    expect(kv.describeOperation?.({ op: "append", key: "k", value: "v" }, UNKNOWN_OUTPUT)).toBe(
      'append("k", "v") ?',
    );
    expect(kv.describeOperation?.({ op: "append", key: "k", value: "v" }, { type: "ok" })).toBe(
      'append("k", "v")',
    );
    expect(
      kv.describeOperation?.({ op: "append", key: "k", value: "v" }, { type: "ok", value: "u" }),
    ).toBe('append("k", "v") -> "u"');
    expect(kv.describeState?.(kv.init())).toBe('""');
    const etcd = etcdModel();
    expect(etcd.describeOperation?.({ op: "cas", from: 1, to: 2 }, { type: "fail" })).toBe(
      "cas(1, 2) failed",
    );
    expect(etcd.describeState?.(null)).toBe("absent");
    expect(registerModel().describeOperation?.({ op: "read" }, { type: "ok", value: 3 })).toBe(
      "read() -> 3",
    );
  });
});
