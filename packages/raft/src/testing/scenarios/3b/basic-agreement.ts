import type { RaftScenario } from "../types.js";

/** Commands the basic-agreement scenario submits. */
const commands = 3;

/**
 * On a healthy three-peer cluster, nothing is committed before it is started, and each
 * command lands at the next index (1, 2, 3) on every peer on the first try.
 */
export const basicAgreement: RaftScenario = {
  name: "3B/basic-agreement",
  part: "3B",
  title: "basic agreement",
  cluster: { n: 3 },
  async run(cluster) {
    for (let index = 1; index <= commands; index++) {
      const { count } = cluster.nCommitted(index);
      if (count > 0) cluster.fail(`some have committed index ${index} before Start()`);

      const got = await cluster.one(index * 100, cluster.n, false);
      if (got !== index) cluster.fail(`got index ${got} but expected ${index}`);
    }
  },
};
