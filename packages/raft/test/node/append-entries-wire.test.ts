import { describe, expect, it } from "vitest";
import type { AppendEntries } from "../../src/core/messages.js";
import type { Entry } from "../../src/core/types.js";
import {
  AppendEntriesArgs,
  appendEntriesFromWire,
  appendEntriesToWire,
  RaftService,
} from "../../src/node/raft-service.js";

const entries: readonly Entry[] = [
  { index: 8, term: 3, command: new Uint8Array([1, 2]) },
  { index: 9, term: 3, command: new Uint8Array([3]) },
];

function message(to: number, overrides: Partial<AppendEntries> = {}): AppendEntries {
  return {
    type: "AppendEntries",
    from: 0,
    to,
    term: 3,
    prevLogIndex: 7,
    prevLogTerm: 2,
    entries,
    leaderCommit: 6,
    readContext: 0,
    ...overrides,
  };
}

describe("AppendEntries to followers at the same position: one wire object, one encoding", () => {
  it("the same entries array and header give the same wire object and the same bytes", () => {
    const a = appendEntriesToWire(message(1));
    const b = appendEntriesToWire(message(2));
    expect(b).toBe(a);
    const codec = RaftService.methods.AppendEntries.request;
    const bytes = codec.encode(a);
    expect(codec.encode(b)).toBe(bytes);
    expect(bytes).toEqual(AppendEntriesArgs.encode(a));
    expect(appendEntriesFromWire(codec.decode(bytes), 2)).toEqual(message(2));
  });

  it("a different header (commit, term, read context) or other entries: a wire object of its own", () => {
    const base = appendEntriesToWire(message(1));
    const moved = appendEntriesToWire(message(2, { leaderCommit: 7 }));
    expect(moved).not.toBe(base);
    expect(moved.leaderCommit).toBe(7);
    expect(appendEntriesToWire(message(2, { readContext: 4 })).readContext).toBe(4);
    const copy = appendEntriesToWire(message(1, { entries: [...entries] }));
    expect(copy).toEqual(appendEntriesToWire(message(1, { leaderCommit: 6 })));
    // Heartbeats (no entries) are never shared.
    const h1 = appendEntriesToWire(message(1, { entries: [] }));
    expect(appendEntriesToWire(message(2, { entries: [] }))).not.toBe(h1);
  });
});
