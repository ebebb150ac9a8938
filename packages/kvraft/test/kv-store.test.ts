import { describe, expect, it } from "vitest";
import { KvStore } from "../src/kvsrv/kv-store.js";

describe("KvStore", () => {
  it("reads a missing key as the empty string", () => {
    expect(new KvStore().get("nope")).toBe("");
  });

  it("puts, overwrites and appends, returning the old value from append", () => {
    const store = new KvStore();
    store.put("k", "a");
    expect(store.get("k")).toBe("a");
    expect(store.append("k", "b")).toBe("a");
    expect(store.append("k", "c")).toBe("ab");
    expect(store.get("k")).toBe("abc");
    store.put("k", "z");
    expect(store.get("k")).toBe("z");
    expect(store.append("missing", "x")).toBe("");
    expect(store.get("missing")).toBe("x");
  });

  it("keeps no entry for an empty value", () => {
    const store = new KvStore();
    store.put("k", "v");
    store.put("e", "");
    store.append("f", "");
    expect(store.size).toBe(1);
    store.put("k", "");
    expect(store.size).toBe(0);
    expect(store.get("k")).toBe("");
    expect(store.valueChars()).toBe(0);
  });

  it("counts the characters it holds", () => {
    const store = new KvStore();
    store.put("a", "123");
    store.append("b", "45");
    expect(store.valueChars()).toBe(5);
  });
});
