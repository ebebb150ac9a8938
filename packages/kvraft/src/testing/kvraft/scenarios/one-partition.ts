import type { KvraftHarness } from "../kvraft-harness.js";
import { ELECTION_TIMEOUT_MS, expectValue } from "./helpers.js";
import type { KvraftScenario } from "./types.js";

/** How long the minority's operations must stay unanswered. */
const MINORITY_SILENCE_MS = 1000;
/** How soon after healing (and an election timeout) they must complete. */
const HEAL_COMPLETION_MS = 3000;

/** Resolves to whether `promise` settled within `ms` of virtual time. */
async function settlesWithin(h: KvraftHarness, promise: Promise<unknown>, ms: number) {
  let settled = false;
  void promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  const deadline = h.sim.now() + ms;
  while (!settled && h.sim.now() < deadline)
    await h.sim.sleep(Math.min(10, deadline - h.sim.now()));
  return settled;
}

/**
 * The course's TestOnePartition4A, in three phases. With the old leader cut off in a minority,
 * the majority makes progress; a Put and a Get sent to the minority get no answer for a second
 * (a server that lost its majority must not answer, not even a read); after healing, both
 * complete within three seconds, and the minority's Put, applied last, is the final value.
 */
export const onePartition: KvraftScenario = {
  name: "4A/OnePartition",
  part: "4A",
  title: "progress in majority, none in minority, completion after heal",
  cluster: { n: 5, unreliable: false, maxRaftState: -1 },
  async run(h) {
    await h.run(async () => {
      const ck = h.makeClient();
      await ck.put("1", "13");
      const [p1, p2] = h.makePartition();
      h.partition(p1, p2);
      const ckp1 = h.makeClient({ to: p1 });
      const ckp2a = h.makeClient({ to: p2 });
      const ckp2b = h.makeClient({ to: p2 });

      // Progress in the majority.
      await ckp1.put("1", "14");
      await expectValue(h, ckp1, "1", "14");

      // No progress in the minority.
      const put = ckp2a.put("1", "15");
      const get = ckp2b.get("1");
      put.catch(() => {});
      get.catch(() => {});
      const early = await settlesWithin(h, Promise.race([put, get]), MINORITY_SILENCE_MS);
      h.check(!early, `an operation sent to the minority ${p2.join(",")} completed`);
      await expectValue(h, ckp1, "1", "14");
      await ckp1.put("1", "16");
      await expectValue(h, ckp1, "1", "16");

      // Completion after heal.
      h.connectAll();
      h.connectClient(ckp2a, h.all());
      h.connectClient(ckp2b, h.all());
      await h.sim.sleep(ELECTION_TIMEOUT_MS);
      h.check(
        await settlesWithin(h, put, HEAL_COMPLETION_MS),
        "the minority's Put did not complete after healing",
      );
      h.check(
        await settlesWithin(h, get, HEAL_COMPLETION_MS),
        "the minority's Get did not complete after healing",
      );
      await put;
      await get;
      await expectValue(h, ck, "1", "15");
    });
    h.checkLinearizable();
  },
};
