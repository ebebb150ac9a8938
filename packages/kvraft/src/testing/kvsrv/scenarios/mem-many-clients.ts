import type { TestClerk } from "../../test-clerk.js";
import type { KvsrvHarness } from "../kvsrv-harness.js";
import { measureHeap, randomText, requireHeap } from "./memory.js";
import type { KvsrvScenario, ScenarioContext } from "./types.js";

/** The course's number of clerks. */
const CLIENTS = 100_000;
const VALUE_BYTES = 1000;
const KEY = "k";
/** Clerks alive at once: the course runs them one after another; batches are just faster. */
const BATCH = 1000;
/**
 * Clerks run before the first measurement, so that code compiled and caches filled on first use
 * are not counted as per-clerk state. They do what the measured clerks do, so any state the
 * server keeps per clerk is kept for them too, and still grows with the measured ones.
 */
const WARM_UP = 1000;

/**
 * How the many-clients scenarios measure. A clerk object, its end and its pending call are the
 * test's, not the server's, so (as the course does with `deleteClient`) every clerk is deleted
 * once its operation returned: its end is removed from the network and nothing references the
 * clerk any more. What the heap still holds after all of them is what the server (and the
 * network) kept per clerk, which is the figure the course limits. This is stricter than holding
 * the clerks alive and measuring between two rounds of operations, which would not count state
 * created by a clerk's first request.
 */
async function perClerkGrowth(
  h: KvsrvHarness,
  context: ScenarioContext,
  clients: number,
  operation: (clerk: TestClerk) => Promise<void>,
): Promise<number> {
  const heap = requireHeap(context);
  const runClerks = async (count: number) => {
    for (let started = 0; started < count; started += BATCH) {
      const batch = Math.min(BATCH, count - started);
      await Promise.all(
        Array.from({ length: batch }, async () => {
          const clerk = h.makeClerk({ record: false });
          await operation(clerk);
          h.deleteClerk(clerk);
        }),
      );
    }
  };
  await h.run(() => runClerks(WARM_UP));
  const before = await measureHeap(heap);
  await h.run(() => runClerks(clients));
  const growth = (await measureHeap(heap)) - before;
  context.figure("heapGrowthBytes", growth);
  context.figure("perClientBytes", growth / clients);
  return growth / clients;
}

/**
 * The course's TestMemPutManyClients with `clients` clerks (the course has 100,000), each putting
 * a 1000-byte value. The server may keep at most 200 bytes per clerk: a sequence number, never
 * the value.
 */
export function putManyClients(clients: number): KvsrvScenario {
  return {
    name: "MemPutManyClients",
    title: "memory use many put clients",
    unreliable: false,
    memory: true,
    async run(h, context) {
      const value = randomText(h.random("values"), VALUE_BYTES);
      const perClerk = await perClerkGrowth(h, context, clients, (clerk) => clerk.put(KEY, value));
      context.figure("limitPerClientBytes", 200);
      h.check(
        perClerk <= 200,
        `memory grew by ${perClerk.toFixed(1)} bytes per putting clerk (limit: 200)`,
      );
      const reader = h.makeClerk({ record: false });
      h.check(
        (await h.run(() => reader.get(KEY))) === value,
        "get after the puts did not return the value",
      );
    },
  };
}

/** The course's TestMemPutManyClients: 100,000 putting clerks. */
export const memPutManyClients: KvsrvScenario = putManyClients(CLIENTS);

/**
 * The course's TestMemGetManyClients with `clients` clerks (the course has 100,000), each getting
 * a key. The server must keep nothing for a clerk that only reads: under 10 bytes per clerk.
 */
export function getManyClients(clients: number): KvsrvScenario {
  return {
    name: "MemGetManyClients",
    title: "memory use many get clients",
    unreliable: false,
    memory: true,
    async run(h, context) {
      const value = randomText(h.random("values"), VALUE_BYTES);
      const writer = h.makeClerk({ record: false });
      await h.run(() => writer.put(KEY, value));
      h.deleteClerk(writer);
      let wrong = 0;
      const perClerk = await perClerkGrowth(h, context, clients, async (clerk) => {
        if ((await clerk.get(KEY)) !== value) wrong++;
      });
      context.figure("limitPerClientBytes", 10);
      h.check(wrong === 0, `${wrong} gets did not return the value put`);
      h.check(
        perClerk < 10,
        `memory grew by ${perClerk.toFixed(2)} bytes per reading clerk (limit: under 10)`,
      );
    },
  };
}

/** The course's TestMemGetManyClients: 100,000 reading clerks. */
export const memGetManyClients: KvsrvScenario = getManyClients(CLIENTS);
