import { describe, expect, it } from "vitest";
import { RaftLog } from "../../src/core/raft-log.js";
import type { Entry } from "../../src/core/types.js";

const entry = (index: number, term = 1): Entry => ({
  index,
  term,
  command: new Uint8Array([index & 0xff]),
});

function logOf(n: number): RaftLog {
  const log = new RaftLog();
  for (let i = 1; i <= n; i++) log.append(entry(i));
  return log;
}

describe("RaftLog.sliceBounded: one array for followers at the same position", () => {
  it("the same question on an unchanged log gets the same array", () => {
    const log = logOf(10);
    const a = log.sliceBounded(3, 4, 1 << 20);
    expect(a.map((e) => e.index)).toEqual([3, 4, 5, 6]);
    expect(log.sliceBounded(3, 4, 1 << 20)).toBe(a);
    // Another start or other limits: another answer.
    expect(log.sliceBounded(4, 4, 1 << 20)).not.toBe(a);
    expect(log.sliceBounded(3, 2, 1 << 20).map((e) => e.index)).toEqual([3, 4]);
  });

  it("an append, a truncation or a compaction gives a fresh answer", () => {
    const log = logOf(5);
    const before = log.sliceBounded(4, 10, 1 << 20);
    log.append(entry(6));
    const appended = log.sliceBounded(4, 10, 1 << 20);
    expect(appended).not.toBe(before);
    expect(appended.map((e) => e.index)).toEqual([4, 5, 6]);

    // A conflicting entry of term 2 at 5 truncates 5..6; the log is 5 long again.
    log.merge([entry(5, 2)], 0);
    expect(log.lastIndex).toBe(5);
    const merged = log.sliceBounded(4, 10, 1 << 20);
    expect(merged.map((e) => [e.index, e.term])).toEqual([
      [4, 1],
      [5, 2],
    ]);

    log.installSnapshot({ index: 3, term: 1 });
    expect(log.sliceBounded(4, 10, 1 << 20)).not.toBe(merged);
    expect(log.sliceBounded(4, 10, 1 << 20).map((e) => e.term)).toEqual([1, 2]);
  });

  it("the byte limit still holds, with at least one entry", () => {
    const log = logOf(8);
    expect(log.sliceBounded(1, 100, 2).map((e) => e.index)).toEqual([1, 2]);
    expect(log.sliceBounded(1, 100, 0).map((e) => e.index)).toEqual([1]);
  });
});
