import type { KvraftHarness, KvraftTestClerk } from "../kvraft-harness.js";

/** The course's `electionTimeout`: the pause its kvraft tests take around partitions and crashes. */
export const ELECTION_TIMEOUT_MS = 1000;

/** Reads `key` through `ck` and fails the scenario unless it holds `want` (the course's `check`). */
export async function expectValue(
  h: KvraftHarness,
  ck: KvraftTestClerk,
  key: string,
  want: string,
): Promise<void> {
  const got = await ck.get(key);
  h.check(
    got === want,
    `get(${key}) returned ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`,
  );
}
