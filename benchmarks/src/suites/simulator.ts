import { field, message } from "@lab/labgob";
import { defineService, Network, RpcServer, Simulator } from "@lab/labrpc";
import { type BenchRow, type BenchSuite, row } from "../suite.js";

const realSetImmediate = globalThis.setImmediate;

/** Runs `body` repeatedly until `budgetMs` of real time passed; returns total units / seconds. */
async function rate(budgetMs: number, body: () => Promise<number>): Promise<number> {
  let units = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    units += await body();
    elapsed = performance.now() - start;
  } while (elapsed < budgetMs);
  return units / (elapsed / 1000);
}

/** A busy simulation: 100 actors sleeping random short times; returns the events it ran. */
async function busySimulation(seed: number, eventsPerRun: number): Promise<number> {
  const sim = new Simulator({ seed });
  const random = sim.random.fork("actors");
  const actors = 100;
  const perActor = Math.ceil(eventsPerRun / actors);
  const actor = async () => {
    for (let i = 0; i < perActor; i++) await sim.sleep(1 + random.int(10));
  };
  await sim.settle(Promise.all(Array.from({ length: actors }, actor)));
  return sim.eventsRun;
}

/** The floor: the same number of macrotask turns (the simulator's per-event microtask drain). */
async function bareTurns(turns: number): Promise<number> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => realSetImmediate(resolve));
  return turns;
}

const Args = message("EchoArgs", { term: field.uint(1), payload: field.bytes(2) });
const Echo = defineService("Echo", { Echo: { request: Args, reply: Args } });
const echoServer = () => new RpcServer().addService(Echo, { Echo: (args) => args });
const PAYLOAD = new Uint8Array(128).fill(7);
const CALLERS = 64;

/** RPCs through the simulated network: 64 callers, each with its own end, calling in a loop. */
async function networkRpcs(seed: number, callsPerCaller: number): Promise<number> {
  const sim = new Simulator({ seed });
  const net = new Network(sim);
  net.addServer("echo", echoServer());
  const callers = Array.from({ length: CALLERS }, async (_, i) => {
    const end = net.makeEnd(`c${i}`);
    net.connect(`c${i}`, "echo");
    net.enable(`c${i}`, true);
    for (let n = 0; n < callsPerCaller; n++) {
      const r = await end.call(Echo.methods.Echo, { term: n, payload: PAYLOAD });
      if (!r.ok) throw new Error(`reliable network lost a call: ${r.reason}`);
    }
  });
  await sim.settle(Promise.all(callers));
  return net.totalCount;
}

/** The same calls without network or simulator: encode, dispatch, decode, in-process. */
async function directRpcs(callsPerCaller: number): Promise<number> {
  const server = echoServer();
  const method = Echo.methods.Echo;
  const callers = Array.from({ length: CALLERS }, async () => {
    for (let n = 0; n < callsPerCaller; n++) {
      const bytes = await server.dispatch(
        method.fullName,
        method.request.encode({ term: n, payload: PAYLOAD }),
      );
      method.reply.decode(bytes);
    }
  });
  await Promise.all(callers);
  return CALLERS * callsPerCaller;
}

const suite: BenchSuite = {
  name: "simulator",
  description: "deterministic simulator: events per second of real time",
  async run(ctx): Promise<BenchRow[]> {
    const budget = ctx.quick ? 1500 : 5000;
    const eventsPerRun = 20_000;
    await busySimulation(0, 2000);
    let seed = 1;
    const events = await rate(budget, () => busySimulation(seed++, eventsPerRun));
    ctx.log(`simulator: ${Math.round(events)} events/s`);
    const turns = await rate(budget, () => bareTurns(eventsPerRun));
    await networkRpcs(0, 10);
    const rpcs = await rate(budget, () => networkRpcs(seed++, 100));
    const direct = await rate(budget, () => directRpcs(100));
    ctx.log(`network: ${Math.round(rpcs)} RPCs/s, direct dispatch ${Math.round(direct)}/s`);
    return [
      row({
        suite: "simulator",
        case: "simulated network, 64 callers, 128 B echo",
        metric: "RPCs/s",
        value: rpcs,
        unit: "RPCs/s",
        baseline: direct,
        baselineName: "in-process encode+dispatch+decode",
      }),
      row({
        suite: "simulator",
        case: "100 actors, random sleeps",
        metric: "events/s",
        value: events,
        unit: "events/s",
        baseline: turns,
        baselineName: "bare setImmediate turn per event",
      }),
    ];
  },
};

export default suite;
