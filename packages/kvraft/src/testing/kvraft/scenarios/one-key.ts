import { checkAppendsInOrder, element } from "../../kvsrv/scenarios/elements.js";
import type { KvraftScenario } from "./types.js";

const CLIENTS = 5;
const APPENDS = 10;
const KEY = "k";

/**
 * The course's TestUnreliableOneKey4A: on a lossy network, five clients each append ten
 * numbered elements to one key at once, through a three-server cluster. Afterwards the key holds
 * all fifty exactly once, each client's in order.
 *
 * The course checks no linearizability here: kvraft's Append answers nothing, so only the final
 * Get orders the fifty appends, and porcupine's kv model would try the interleavings of five
 * sequential clients (about 10^31) before reaching it. We check it with the kv model pinned to
 * the final value (`finalValueModel`), which prunes each wrong order at its first wrong append
 * and is exact for this shape of history: one Put, the appends, one Get of a value as long as
 * all of them.
 */
export const unreliableOneKey: KvraftScenario = {
  name: "4A/UnreliableOneKey",
  part: "4A",
  title: "concurrent append to same key, unreliable",
  cluster: { n: 3, unreliable: true, maxRaftState: -1 },
  async run(h) {
    await h.run(async () => {
      const ck = h.makeClient();
      await ck.put(KEY, "");
      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, client) => {
          const mine = h.makeClient();
          for (let j = 0; j < APPENDS; j++) await mine.append(KEY, element(client, j));
          h.deleteClient(mine);
        }),
      );
      const value = await ck.get(KEY);
      for (let client = 0; client < CLIENTS; client++) {
        checkAppendsInOrder(h, KEY, value, client, APPENDS);
      }
      h.checkLinearizableAgainstFinal(KEY, value);
    });
  },
};
