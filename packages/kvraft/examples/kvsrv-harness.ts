import { findKvsrvScenario, KvsrvHarness, runKvsrvScenario } from "@lab/kvraft/testing";

// One of the course's scenarios, on a fresh harness made from a seed.
const scenario = findKvsrvScenario("UnreliableOneKey");
if (scenario === undefined) throw new Error("no such scenario");
const result = await runKvsrvScenario(scenario, { seed: 7 });
console.log(`${result.scenario} seed ${result.seed}: ${result.ok ? "passed" : result.failure}`);
console.log(`${result.operations} operations, ${result.rpcs} RPCs, ${result.virtualMs} virtual ms`);

// A scenario of your own on the same harness: clerks, faults, checks, and the history.
const h = new KvsrvHarness({ seed: 1, unreliable: true });
await h.run(async () => {
  const a = h.makeClerk();
  const b = h.makeClerk();
  await Promise.all([a.append("k", "a"), b.append("k", "b")]);
  const value = await a.get("k");
  h.check(value === "ab" || value === "ba", `k is ${JSON.stringify(value)}`);
});
// Porcupine within a 10 s budget; a ScenarioFailure (with an HTML report) if illegal.
h.checkLinearizable();
console.log(`${h.history.length} operations, linearizable`);
