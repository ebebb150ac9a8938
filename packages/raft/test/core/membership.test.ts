import { describe, expect, it } from "vitest";
import { ConfigHistory } from "../../src/core/config-history.js";
import {
  configuration,
  decodeConfiguration,
  EMPTY_CONFIGURATION,
  encodeConfiguration,
  formatConfiguration,
  leaderMayChange,
  learnerCaughtUp,
  type MembershipChange,
  MembershipChangeError,
  type MembershipRefusal,
  planChange,
  RaftUsageError,
} from "../../src/index.js";

// The pure rules of single-server membership change, table-driven.

const base = configuration([0, 1, 2], [3]);

describe("planChange", () => {
  const cases: {
    change: MembershipChange;
    from?: ReturnType<typeof configuration>;
    want: string | MembershipRefusal;
  }[] = [
    { change: { type: "add-learner", id: 4 }, want: "voters 0,1,2 learners 3,4" },
    { change: { type: "add-learner", id: 3 }, want: "already-member" },
    { change: { type: "add-learner", id: 1 }, want: "already-member" },
    { change: { type: "promote", id: 3 }, want: "voters 0,1,2,3" },
    { change: { type: "promote", id: 1 }, want: "not-a-learner" },
    { change: { type: "promote", id: 9 }, want: "unknown-peer" },
    { change: { type: "demote", id: 2 }, want: "voters 0,1 learners 2,3" },
    { change: { type: "demote", id: 3 }, want: "not-a-voter" },
    { change: { type: "demote", id: 9 }, want: "unknown-peer" },
    { change: { type: "remove", id: 0 }, want: "voters 1,2 learners 3" },
    { change: { type: "remove", id: 3 }, want: "voters 0,1,2" },
    { change: { type: "remove", id: 9 }, want: "unknown-peer" },
    { change: { type: "remove", id: 0 }, from: configuration([0], [1]), want: "last-voter" },
    { change: { type: "demote", id: 0 }, from: configuration([0]), want: "last-voter" },
    { change: { type: "remove", id: 1 }, from: configuration([0], [1]), want: "voters 0" },
    { change: { type: "remove", id: -1 }, want: "invalid-change" },
    { change: { type: "add-learner", id: 1.5 }, want: "invalid-change" },
    { change: { type: "join", id: 5 } as unknown as MembershipChange, want: "invalid-change" },
  ];
  for (const { change, from, want } of cases) {
    const start = from ?? base;
    it(`${change.type} ${change.id} on ${formatConfiguration(start)} -> ${want}`, () => {
      const got = planChange(start, change);
      if (got instanceof MembershipChangeError) {
        expect(got.reason).toBe(want);
        expect(got.message).toMatch(/\S/);
        expect(got.code).toBe("LAB_RAFT_MEMBERSHIP");
      } else {
        expect(formatConfiguration(got)).toBe(want);
      }
    });
  }

  it("each allowed change moves one peer, so old and new majorities overlap", () => {
    const changes: MembershipChange[] = [
      { type: "add-learner", id: 4 },
      { type: "promote", id: 3 },
      { type: "demote", id: 1 },
      { type: "remove", id: 2 },
    ];
    for (const change of changes) {
      const next = planChange(base, change);
      expect(next).not.toBeInstanceOf(MembershipChangeError);
      const a = new Set(base.voters);
      const b = new Set((next as typeof base).voters);
      const diff = [...a].filter((v) => !b.has(v)).length + [...b].filter((v) => !a.has(v)).length;
      expect(diff).toBeLessThanOrEqual(1);
      // Any majority of the old voters meets any majority of the new ones.
      const qa = Math.floor(a.size / 2) + 1;
      const qb = Math.floor(b.size / 2) + 1;
      const common = [...a].filter((v) => b.has(v)).length;
      expect(qa + qb).toBeGreaterThan(a.size + b.size - common);
    }
  });
});

describe("leaderMayChange", () => {
  const ok = { configIndex: 3, commit: 5, committedInTerm: true, transferring: false };
  it("allows a change once the last one committed and the term has a commit", () => {
    expect(leaderMayChange(ok)).toBeUndefined();
    expect(leaderMayChange({ ...ok, configIndex: 5 })).toBeUndefined();
  });
  it.each([
    [{ ...ok, configIndex: 6 }, "change-in-progress"],
    [{ ...ok, committedInTerm: false }, "term-not-committed"],
    [{ ...ok, transferring: true }, "transfer-in-progress"],
  ] as const)("%o -> %s", (state, reason) => {
    expect(leaderMayChange(state)?.reason).toBe(reason);
  });
});

describe("learnerCaughtUp", () => {
  it.each([
    [100, 100, 0, true],
    [99, 100, 0, false],
    [90, 100, 10, true],
    [89, 100, 10, false],
  ])("match %i, leader %i, lag %i -> %s", (match, last, lag, want) => {
    expect(learnerCaughtUp(match, last, lag)).toBe(want);
  });
});

describe("Configuration", () => {
  it("sorts, validates, and round-trips through its encoding", () => {
    const c = configuration([2, 0, 1], [5, 3]);
    expect(c).toEqual({ voters: [0, 1, 2], learners: [3, 5] });
    expect(decodeConfiguration(encodeConfiguration(c))).toEqual(c);
    expect(decodeConfiguration(encodeConfiguration(EMPTY_CONFIGURATION))).toEqual(
      EMPTY_CONFIGURATION,
    );
    expect(() => configuration([0, 1], [1])).toThrow(/peer 1 is listed twice/);
    expect(() => configuration([-1])).toThrow(RaftUsageError);
  });
  it("a corrupt config entry is a typed error, not a crash", () => {
    expect(() => decodeConfiguration(Uint8Array.of(0xff, 0xff, 0xff))).toThrow(RaftUsageError);
  });
});

describe("ConfigHistory", () => {
  const c0 = configuration([0, 1, 2]);
  const c1 = configuration([0, 1, 2], [3]);
  const c2 = configuration([0, 1, 2, 3]);

  it("the latest entry rules; dropping truncated entries restores the one before", () => {
    const h = new ConfigHistory({ index: 0, term: 0, config: c0 });
    h.append({ index: 4, term: 1, config: c1 });
    h.append({ index: 7, term: 2, config: c2 });
    expect(h.current).toEqual(c2);
    expect(h.configAt(6)).toEqual(c1);
    expect(h.configAt(3)).toEqual(c0);
    // The log now has term 3 at index 7 (a new leader's entry): c2 is gone.
    const terms = new Map([
      [4, 1],
      [7, 3],
    ]);
    expect(h.retainHeld((i) => terms.get(i))).toBe(true);
    expect(h.current).toEqual(c1);
    expect(h.retainHeld((i) => terms.get(i))).toBe(false);
    // The log ends before index 4: back to the base.
    expect(h.retainHeld(() => undefined)).toBe(true);
    expect(h.current).toEqual(c0);
  });

  it("compaction moves the base to the configuration at the snapshot", () => {
    const h = new ConfigHistory({ index: 0, term: 0, config: c0 });
    h.append({ index: 4, term: 1, config: c1 });
    h.append({ index: 7, term: 1, config: c2 });
    h.compact(5, 1);
    expect(h.configAt(5)).toEqual(c1);
    expect(h.records.map((r) => r.index)).toEqual([7]);
    expect(() => h.configAt(4)).toThrow(/below the snapshot/);
    h.installSnapshot({ index: 9, term: 2, config: c0 }, () => undefined);
    expect(h.current).toEqual(c0);
    expect(h.records).toEqual([]);
  });
});
