import { CodecError } from "@lab/labgob";
import { describe, expect, it } from "vitest";
import { type KvOp, KvStateMachine } from "../src/index.js";

const op = (kind: KvOp["kind"], key: string, value: string, clientId = 1, seq = 1): KvOp => ({
  kind,
  key,
  value,
  clientId,
  seq,
});

describe("KvStateMachine", () => {
  it("applies gets, puts and appends in log order", () => {
    const m = new KvStateMachine();
    expect(m.apply(1, op("get", "k", ""))).toEqual({ value: "", noKey: true, duplicate: false });
    m.apply(2, op("put", "k", "a", 1, 1));
    m.apply(3, op("append", "k", "b", 1, 2));
    expect(m.apply(4, op("get", "k", "", 1, 3))).toEqual({
      value: "ab",
      noKey: false,
      duplicate: false,
    });
    expect(m.applied).toBe(4);
  });

  it("skips a write whose sequence number its client has already had applied", () => {
    const m = new KvStateMachine();
    m.apply(1, op("append", "k", "x", 7, 1));
    expect(m.apply(2, op("append", "k", "x", 7, 1)).duplicate).toBe(true);
    // An older retry that arrives late is skipped too.
    m.apply(3, op("append", "k", "y", 7, 2));
    expect(m.apply(4, op("put", "k", "z", 7, 1)).duplicate).toBe(true);
    // Other clients are independent.
    expect(m.apply(5, op("append", "k", "w", 8, 1)).duplicate).toBe(false);
    expect(m.peek("k")).toBe("xyw");
  });

  it("refuses an index that does not follow the last applied one", () => {
    const m = new KvStateMachine();
    m.apply(1, op("put", "k", "v"));
    expect(() => m.apply(3, op("put", "k", "v", 1, 2))).toThrow(/does not follow 1/);
  });

  it("restores exactly what it snapshotted, duplicate table included", () => {
    const m = new KvStateMachine();
    m.apply(1, op("put", "a", "1", 1, 1));
    m.apply(2, op("append", "b", "2", 2, 5));
    m.apply(3, op("put", "__proto__", "odd key", 3, 1));
    const copy = new KvStateMachine();
    copy.restore(m.snapshot());
    expect(copy.applied).toBe(3);
    expect([copy.peek("a"), copy.peek("b"), copy.peek("__proto__")]).toEqual(["1", "2", "odd key"]);
    expect(copy.stats()).toEqual(m.stats());
    expect(copy.apply(4, op("append", "b", "2", 2, 5)).duplicate).toBe(true);
  });

  it("keeps snapshots small however many operations one client made", () => {
    const m = new KvStateMachine();
    for (let i = 1; i <= 800; i++) m.apply(i, op("put", "x", String(i % 2), 42, i));
    expect(m.snapshot().length).toBeLessThan(50);
  });

  it("rejects bytes that are not a snapshot and keeps its state", () => {
    const m = new KvStateMachine();
    m.apply(1, op("put", "k", "v"));
    expect(() => m.restore(new Uint8Array([0xff, 0xff, 0xff]))).toThrow(CodecError);
    const truncated = m.snapshot().subarray(0, 5);
    expect(() => m.restore(truncated)).toThrow(CodecError);
    expect(m.peek("k")).toBe("v");
    expect(m.applied).toBe(1);
  });
});
