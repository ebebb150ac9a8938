import type { KvsrvHarness } from "../kvsrv-harness.js";
import { checkAppendsInOrder, element, preview } from "./elements.js";
import type { KvsrvScenario } from "./types.js";

/** Shape of the course's generic kvsrv test. */
export interface GenericTestShape {
  /** Concurrent clients, each on its own key. */
  readonly clients: number;
  /** Rounds (the course's NITER), each with fresh clerks. */
  readonly rounds: number;
  /** How long the clients run in each round, in virtual ms (the course's TIME). */
  readonly roundMs: number;
  /**
   * Longest pause between two operations of a client, in virtual ms (uniform in `[0, max]`). The
   * reliable simulated network answers in zero virtual time, so without pauses a round would
   * never end; pauses also interleave the clients.
   */
  readonly maxPauseMs: number;
}

/**
 * The course's generic kvsrv test: in each round every client resets its own key, then until the
 * round ends it appends numbered elements (checking that each append returns exactly what the key
 * held) or reads the key (checking it against what it wrote), half and half. After the round, each
 * key must hold all its client's appends exactly once, in order. At the end the whole history
 * must be linearizable.
 */
export async function runGenericTest(h: KvsrvHarness, shape: GenericTestShape): Promise<void> {
  await h.run(async () => {
    for (let round = 0; round < shape.rounds; round++) {
      let done = false;
      h.sim.setTimer(shape.roundMs, () => {
        done = true;
      });
      const clients = Array.from({ length: shape.clients }, (_, client) =>
        runClient(h, shape, client, round, () => done),
      );
      const appended = await Promise.all(clients);
      const reader = h.makeClerk();
      for (let client = 0; client < shape.clients; client++) {
        const key = String(client);
        checkAppendsInOrder(h, key, await reader.get(key), client, appended[client] ?? 0);
      }
      h.deleteClerk(reader);
    }
  });
  h.checkLinearizable();
}

/** One client's loop for one round; resolves to the number of appends it made. */
async function runClient(
  h: KvsrvHarness,
  shape: GenericTestShape,
  client: number,
  round: number,
  isDone: () => boolean,
): Promise<number> {
  const ck = h.makeClerk();
  const random = h.random(`workload client ${client} round ${round}`);
  const key = String(client);
  let last = "";
  await ck.put(key, last);
  let j = 0;
  while (!isDone()) {
    if (random.chance(1, 2)) {
      const next = element(client, j);
      const old = await ck.append(key, next);
      // The key is this client's alone, so the old value is exactly what it wrote so far.
      h.check(
        old === last,
        `client ${client}: append(${key}, ${preview(next)}) returned old value ${preview(old)}, expected ${preview(last)}`,
      );
      last += next;
      j++;
    } else {
      const value = await ck.get(key);
      h.check(
        value === last,
        `client ${client}: get(${key}) returned ${preview(value)}, expected ${preview(last)}`,
      );
    }
    await h.sim.sleep(random.int(shape.maxPauseMs + 1));
  }
  h.deleteClerk(ck);
  return j;
}

function generic(name: string, title: string, clients: number, unreliable: boolean): KvsrvScenario {
  return {
    name,
    title,
    unreliable,
    memory: false,
    run: (h) => runGenericTest(h, { clients, rounds: 3, roundMs: 1000, maxPauseMs: 4 }),
  };
}

/** The course's TestBasic2: one client, reliable network. */
export const basic = generic("Basic", "one client", 1, false);
/** The course's TestConcurrent2: five clients, reliable network. */
export const concurrent = generic("Concurrent", "many clients", 5, false);
/** The course's TestUnreliable2: five clients, lossy network. */
export const unreliable = generic("Unreliable", "unreliable net, many clients", 5, true);
