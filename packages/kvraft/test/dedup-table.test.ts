import { describe, expect, it } from "vitest";
import { DedupTable } from "../src/kvsrv/dedup-table.js";

describe("DedupTable", () => {
  it("says a write is fresh until it is recorded, then answers its retries", () => {
    const table = new DedupTable();
    expect(table.check(7, 1)).toEqual({ duplicate: false });
    table.recordAppend(7, 1, "old");
    expect(table.check(7, 1)).toEqual({ duplicate: true, oldValue: "old" });
    expect(table.check(7, 2)).toEqual({ duplicate: false });
    // Another clerk is independent.
    expect(table.check(8, 1)).toEqual({ duplicate: false });
  });

  it("frees an append's reply when the clerk's next request arrives, keeping its number", () => {
    const table = new DedupTable();
    table.recordAppend(7, 1, "a large old value");
    expect(table.unackedReplies).toBe(1);
    expect(table.unackedChars()).toBe(17);
    table.acknowledge(7, 1); // a retry of the same request proves nothing
    expect(table.unackedReplies).toBe(1);
    table.acknowledge(7, 2);
    expect(table.unackedReplies).toBe(0);
    expect(table.writers).toBe(1);
    // A stale copy of request 1 arriving now is still recognised; its answer goes to nobody.
    expect(table.check(7, 1)).toEqual({ duplicate: true, oldValue: "" });
  });

  it("keeps no reply for a put or for an append to an empty value", () => {
    const table = new DedupTable();
    table.recordPut(1, 1);
    table.recordAppend(2, 1, "");
    expect(table.unackedReplies).toBe(0);
    expect(table.writers).toBe(2);
    expect(table.check(1, 1)).toEqual({ duplicate: true, oldValue: "" });
    expect(table.check(2, 1)).toEqual({ duplicate: true, oldValue: "" });
  });

  it("replaces a clerk's held reply with its next append's", () => {
    const table = new DedupTable();
    table.recordAppend(1, 1, "x");
    table.acknowledge(1, 2);
    table.recordAppend(1, 2, "xy");
    expect(table.unackedReplies).toBe(1);
    expect(table.check(1, 2)).toEqual({ duplicate: true, oldValue: "xy" });
    expect(table.check(1, 1)).toEqual({ duplicate: true, oldValue: "" });
  });

  it("keeps nothing for clerks that only acknowledge (Gets)", () => {
    const table = new DedupTable();
    for (let c = 0; c < 100; c++) table.acknowledge(c, 1);
    expect(table.writers).toBe(0);
    expect(table.unackedReplies).toBe(0);
  });
});
