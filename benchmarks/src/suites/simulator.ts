import { Simulator } from "@lab/labrpc";
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
    return [
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
