import { describe, expect, it } from "vitest";
import { saveOwned } from "../../src/storage/persister.js";
import { RaftCluster, ScenarioFailure } from "../../src/testing/index.js";

describe("RaftCluster: a peer's internal error", () => {
  it("fails the next agreement check at once, naming the peer, instead of timing out", async () => {
    const c = new RaftCluster({ n: 3, seed: 7 });
    let failure: unknown;
    await c
      .run(async () => {
        await c.one(1, 3, false);
        // Break peer 0's storage: its next save throws, which stops the peer.
        const persister = c.persisters[0];
        if (persister === undefined) throw new Error("peer 0 has no persister");
        // PersisterStorage saves through the internal no-copy path; break both.
        const onFire = () => {
          throw new Error("disk on fire");
        };
        persister.save = onFire;
        persister[saveOwned] = onFire;
        const before = c.sim.now();
        try {
          await c.one(2, 3, true);
        } finally {
          // Well before one()'s 10 s budget: the error was seen at the first poll after it.
          expect(c.sim.now() - before).toBeLessThan(1000);
        }
      })
      .catch((err: unknown) => {
        failure = err;
      });
    expect(failure).toBeInstanceOf(ScenarioFailure);
    expect((failure as ScenarioFailure).message).toMatch(
      /peer 0 stopped on an internal error at \d+ ms: disk on fire \(seed 7/,
    );
  });
});
