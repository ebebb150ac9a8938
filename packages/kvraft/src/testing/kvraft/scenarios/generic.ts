import { checkAppendsInOrder, element, preview } from "../../kvsrv/scenarios/elements.js";
import type { KvraftHarness } from "../kvraft-harness.js";
import { ELECTION_TIMEOUT_MS } from "./helpers.js";
import type { KvraftLabPart, KvraftScenario } from "./types.js";

/** The knobs of the course's `GenericTest`. */
export interface KvraftGenericShape {
  readonly clients: number;
  readonly servers: number;
  readonly unreliable: boolean;
  /** Shut every server down and restart it at the end of each round. */
  readonly crash: boolean;
  /** Re-split the servers into two random sides every 1–1.2 s while clients run. */
  readonly partitions: boolean;
  /** The course's `maxraftstate`; -1 never snapshots. */
  readonly maxRaftState: number;
  /** Clients write random keys (so only linearizability is checked, not their values). */
  readonly randomKeys: boolean;
}

const ROUNDS = 3;
const CLIENT_MS = 5000;

/**
 * The course's `GenericTest`: three rounds in which every client resets its key and then, until
 * the round ends, appends numbered elements (half the time), puts (a tenth of the rest, random
 * keys only) or reads and checks its key; a partitioner re-splits the servers while they run;
 * after healing (and, with `crash`, restarting every server with operations still in flight)
 * each key must hold all its client's appends exactly once, in order. Then the Raft state must
 * be within 8 × `maxraftstate` (or no snapshot exist at all with -1), and the whole history must
 * be linearizable.
 */
export async function runKvraftGenericTest(
  h: KvraftHarness,
  shape: KvraftGenericShape,
): Promise<void> {
  await h.run(
    async () => {
      for (let round = 0; round < ROUNDS; round++) {
        let clientsDone = false;
        const clients = Promise.all(
          Array.from({ length: shape.clients }, (_, client) =>
            runClient(h, shape, client, round, () => clientsDone),
          ),
        );
        // A client's failed check surfaces when the round awaits it; until then, it is held.
        clients.catch(() => {});
        let partitionerDone = false;
        let partitioner: Promise<void> | undefined;
        if (shape.partitions) {
          // Give the clients a moment to get going before the first partition.
          await h.sim.sleep(ELECTION_TIMEOUT_MS);
          partitioner = runPartitioner(h, round, () => partitionerDone);
          partitioner.catch(() => {});
        }
        await h.sim.sleep(CLIENT_MS);
        clientsDone = true;
        partitionerDone = true;
        await partitioner;
        h.connectAll();
        // Let a leader emerge in the healed cluster.
        await h.sim.sleep(ELECTION_TIMEOUT_MS);
        if (shape.crash) {
          for (const i of h.all()) h.shutdownServer(i);
          // Operations in flight must complete after the restart.
          await h.sim.sleep(ELECTION_TIMEOUT_MS);
          for (const i of h.all()) h.startServer(i);
          h.connectAll();
        }
        const appended = await clients;
        if (!shape.randomKeys) {
          const reader = h.makeClient();
          for (let client = 0; client < shape.clients; client++) {
            const key = String(client);
            checkAppendsInOrder(h, key, await reader.get(key), client, appended[client] ?? 0);
          }
          h.deleteClient(reader);
        }
        checkSizes(h, shape.maxRaftState);
      }
    },
    { timeoutMs: 10 * 60_000 },
  );
  h.checkLinearizable();
}

/** One client's loop for one round; resolves to the number of appends it made to its key. */
async function runClient(
  h: KvraftHarness,
  shape: KvraftGenericShape,
  client: number,
  round: number,
  isDone: () => boolean,
): Promise<number> {
  const ck = h.makeClient();
  const random = h.random(`workload client ${client} round ${round}`);
  const own = String(client);
  let last = "";
  await ck.put(own, last);
  let j = 0;
  while (!isDone()) {
    const key = shape.randomKeys ? String(random.int(shape.clients)) : own;
    const next = element(client, j);
    if (random.chance(1, 2)) {
      await ck.append(key, next);
      if (key === own) {
        last += next;
        j++;
      }
    } else if (shape.randomKeys && random.chance(1, 10)) {
      await ck.put(key, next);
    } else {
      const value = await ck.get(key);
      if (!shape.randomKeys) {
        h.check(
          value === last,
          `client ${client}: get(${key}) returned ${preview(value)}, expected ${preview(last)}`,
        );
      }
    }
  }
  h.deleteClient(ck);
  // With random keys other clients write this key too, so the count says nothing.
  return shape.randomKeys ? 0 : j;
}

/** Re-splits the servers into two random sides every 1–1.2 s until told to stop. */
async function runPartitioner(h: KvraftHarness, round: number, isDone: () => boolean) {
  const random = h.random(`partitioner round ${round}`);
  while (!isDone()) {
    const sides: [number[], number[]] = [[], []];
    for (const i of h.all()) sides[random.int(2)]?.push(i);
    h.partition(sides[0], sides[1]);
    await h.sim.sleep(ELECTION_TIMEOUT_MS + random.int(200));
  }
}

function checkSizes(h: KvraftHarness, maxRaftState: number): void {
  if (maxRaftState > 0) {
    const size = h.logSize();
    h.check(
      size <= 8 * maxRaftState,
      `persisted Raft state is ${size} bytes, more than 8 x maxraftstate (${8 * maxRaftState})`,
    );
  } else {
    const size = h.snapshotSize();
    h.check(size === 0, `maxraftstate is -1, yet a ${size}-byte snapshot was persisted`);
  }
}

/** A `GenericTest` scenario. */
export function genericScenario(
  part: KvraftLabPart,
  name: string,
  title: string,
  shape: Partial<KvraftGenericShape> & Pick<KvraftGenericShape, "clients" | "servers">,
): KvraftScenario {
  const full: KvraftGenericShape = {
    unreliable: false,
    crash: false,
    partitions: false,
    maxRaftState: part === "4B" ? 1000 : -1,
    randomKeys: false,
    ...shape,
  };
  return {
    name: `${part}/${name}`,
    part,
    title,
    cluster: { n: full.servers, unreliable: full.unreliable, maxRaftState: full.maxRaftState },
    run: (h) => runKvraftGenericTest(h, full),
  };
}
