import { describe, expect, it } from "vitest";
import { ReadOnly } from "../../src/core/read-only.js";
import type { ReadState } from "../../src/index.js";

describe("ReadOnly (a leader's pending reads and rounds)", () => {
  it("a read waits for the round after it; reads of one round are released together, in order", () => {
    const reads = new ReadOnly();
    reads.add(1, 5);
    reads.add(2, 5);
    expect(reads.roundWanted).toBe(true);
    const out: ReadState[] = [];
    // An acknowledgement of the round before them (context 0) confirms nothing.
    reads.release(0, out);
    expect(out).toEqual([]);
    expect(reads.startRound(0, false)).toBe(1);
    expect(reads.roundWanted).toBe(false);
    reads.add(3, 6);
    reads.release(1, out);
    expect(out).toEqual([
      { requestId: 1, index: 5 },
      { requestId: 2, index: 5 },
    ]);
    // Read 3 came after round 1 started: it needs round 2.
    expect(reads.size).toBe(1);
    expect(reads.roundWanted).toBe(true);
    reads.startRound(3, false);
    reads.release(2, out);
    expect(out.at(-1)).toEqual({ requestId: 3, index: 6 });
    expect(reads.size).toBe(0);
    expect(reads.roundWanted).toBe(false);
  });

  it("reads without an index wait for it, then take the index the leader names", () => {
    const reads = new ReadOnly();
    reads.add(1, undefined);
    reads.add(2, undefined);
    expect(reads.awaitingIndex).toBe(true);
    reads.startRound(0, false);
    const out: ReadState[] = [];
    reads.release(1, out);
    expect(out).toEqual([]);
    reads.assignIndex(9);
    expect(reads.awaitingIndex).toBe(false);
    reads.add(3, 10);
    reads.release(1, out);
    expect(out.map((r) => [r.requestId, r.index])).toEqual([
      [1, 9],
      [2, 9],
    ]);
    expect(reads.failAll()).toEqual([3]);
    expect(reads.size).toBe(0);
    expect(reads.roundWanted).toBe(false);
  });

  it("remembers round starts from the quorum's acknowledgement on, and forgets older ones", () => {
    const reads = new ReadOnly();
    for (let tick = 0; tick < 100; tick += 10) reads.startRound(tick, true);
    // Rounds 1..10 started at ticks 0..90.
    expect(reads.roundStart(4)).toBe(30);
    // Forgotten: the acknowledgement never moves back.
    expect(reads.roundStart(3)).toBeUndefined();
    expect(reads.roundStart(10)).toBe(90);
    expect(reads.roundStart(11)).toBeUndefined();
    // Rounds started without recording (safe mode) have no start.
    const safe = new ReadOnly();
    safe.startRound(0, false);
    expect(safe.roundStart(1)).toBeUndefined();
  });
});
