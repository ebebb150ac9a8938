import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/testing/index.js";
import { backup } from "../../src/testing/scenarios/3b/backup.js";
import { rpcCounts } from "../../src/testing/scenarios/3b/rpc-counts.js";
import { part3B } from "../../src/testing/scenarios/part-3b.js";
import { defineCourseTests } from "./course-seeds.js";

describe("course Raft suite, part 3B", () => {
  defineCourseTests(part3B, 20);
});

describe("part 3B scenarios catch what they are meant to", () => {
  it("RPC counts fail when a leader heartbeats ten times too often", async () => {
    // A heartbeat every tick (100/s per follower) breaks the per-second budget.
    const chatty = { ...rpcCounts, cluster: { n: 3, tuning: { heartbeatTicks: 1 } } };
    const result = await runScenario(chatty, { seed: 1 });
    expect(result.ok).toBe(false);
    expect(result.failure?.message).toMatch(/too many (or few )?RPCs \(\d+\)/);
  });

  it("backup, seed 11: stale candidates must not keep the only electable peer from campaigning", async () => {
    // Regression: a peer reset its election timer whenever a higher-term RequestVote made it a
    // follower, so two stale peers campaigning in turn kept the one up-to-date peer from ever
    // timing out first, and no leader was elected within one()'s 10 s.
    const result = await runScenario(backup, { seed: 11 });
    expect(result.failure?.message).toBeUndefined();
  });
});
