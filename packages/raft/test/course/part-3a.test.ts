import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/testing/index.js";
import { initialElection } from "../../src/testing/scenarios/3a/initial-election.js";
import { part3A } from "../../src/testing/scenarios/part-3a.js";
import { defineCourseTests } from "./course-seeds.js";

describe("course Raft suite, part 3A", () => {
  defineCourseTests(part3A, 20);
});

describe("part 3A scenarios catch what they are meant to", () => {
  it("initial election fails when elections take longer than the ~5 s the check waits", async () => {
    // Election timeouts of 6-7 s: no peer even campaigns before checkOneLeader gives up.
    const slow = {
      ...initialElection,
      cluster: { n: 3, tuning: { electionTicks: { min: 600, max: 700 } } },
    };
    const result = await runScenario(slow, { seed: 1 });
    expect(result.ok).toBe(false);
    expect(result.failure?.message).toMatch(/expected one leader, got none \(seed 1, at \d+ ms/);
  });
});
