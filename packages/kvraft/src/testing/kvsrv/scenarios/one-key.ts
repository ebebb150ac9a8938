import { checkAppendsInOrder, element, preview } from "./elements.js";
import type { KvsrvScenario } from "./types.js";

const CLIENTS = 5;
const APPENDS = 10;
const KEY = "k";

/**
 * The course's TestUnreliableOneKey2: on a lossy network, five clients each append ten numbered
 * elements to one key at once. No append may return an old value that already holds what it
 * appends; afterwards the key holds all fifty exactly once, each client's in order, and the
 * history is linearizable (the old values pin down the order of the appends).
 */
export const unreliableOneKey: KvsrvScenario = {
  name: "UnreliableOneKey",
  title: "concurrent appends to one key, unreliable net",
  unreliable: true,
  memory: false,
  async run(h) {
    await h.run(async () => {
      const setup = h.makeClerk();
      await setup.put(KEY, "");
      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, client) => {
          const ck = h.makeClerk();
          for (let j = 0; j < APPENDS; j++) {
            const next = element(client, j);
            const old = await ck.append(KEY, next);
            h.check(
              !old.includes(next),
              `client ${client}: append(${KEY}, ${preview(next)}) returned an old value that already holds it: ${preview(old, 400)}`,
            );
            if (j > 0) {
              h.check(
                old.includes(element(client, j - 1)),
                `client ${client}: append(${KEY}, ${preview(next)}) returned an old value without its previous append: ${preview(old, 400)}`,
              );
            }
          }
          h.deleteClerk(ck);
        }),
      );
      const value = await setup.get(KEY);
      for (let client = 0; client < CLIENTS; client++) {
        checkAppendsInOrder(h, KEY, value, client, APPENDS);
      }
      h.deleteClerk(setup);
    });
    h.checkLinearizable();
  },
};
