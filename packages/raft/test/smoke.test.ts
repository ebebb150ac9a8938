import { describe, expect, it } from "vitest";
import { RaftCluster } from "../src/testing/index.js";

describe("raft smoke", () => {
  it("elects a leader and agrees on commands", async () => {
    const c = new RaftCluster({ n: 3, seed: 1 });
    await c.run(async () => {
      const leader = await c.checkOneLeader();
      expect(leader).toBeGreaterThanOrEqual(0);
      expect(await c.one(101, 3, false)).toBe(1);
      expect(await c.one(102, 3, false)).toBe(2);
      expect(await c.one(103, 3, false)).toBe(3);
    });
  });
});
