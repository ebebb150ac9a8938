import { createHash } from "node:crypto";
import { MemoryTracer, Network, Simulator } from "@lab/labrpc";
import {
  type CheckResult,
  checkOperations,
  type KvInput,
  type KvOutput,
  kvModel,
  type Operation,
} from "@lab/porcupine";
import { Clerk } from "./clerk.js";
import { kvServer } from "./kv-service.js";

export interface ScenarioOptions {
  readonly seed: number;
  /** Run the server without duplicate detection: retried writes apply twice. */
  readonly buggy: boolean;
  readonly clerks: number;
  readonly opsPerClerk: number;
  /** Receives one line per thing that happened worth telling. */
  readonly say: (line: string) => void;
}

export interface PhaseReport {
  readonly name: string;
  readonly from: number;
  readonly to: number;
  readonly calls: number;
  readonly dispatched: number;
  readonly bytes: number;
  readonly completed: number;
}

export interface ScenarioReport {
  readonly phases: PhaseReport[];
  readonly history: Operation<KvInput, KvOutput>[];
  readonly verdict: CheckResult<unknown>;
  readonly traceSha256: string;
  readonly traceEvents: number;
  readonly virtualMs: number;
  readonly retries: number;
}

const KEYS = ["a", "b", "c"];

/**
 * A single key/value server and a few clerks on the simulated network, through a scripted
 * sequence of faults: reliable, lossy, a clerk cut off, long reordering, then calm again. The
 * clerks' history is checked for linearizability at the end.
 */
export async function runScenario(options: ScenarioOptions): Promise<ScenarioReport> {
  const tracer = new MemoryTracer();
  const sim = new Simulator({ seed: options.seed, tracer });
  const net = new Network(sim);
  const server = kvServer({ deduplicate: !options.buggy, serviceTimeMs: 2, clock: sim });
  net.addServer("kv", server.rpc);

  const history: Operation<KvInput, KvOutput>[] = [];
  const workload = sim.random.fork("workload");
  const clerks = Array.from({ length: options.clerks }, (_, id) => {
    const name = `clerk-${id}`;
    const end = net.makeEnd(name);
    net.connect(name, "kv");
    net.enable(name, true);
    return new Clerk(id, end, sim, history);
  });

  const phases: PhaseReport[] = [];
  let phaseStart = { name: "reliable", at: 0, calls: 0, dispatched: 0, bytes: 0, completed: 0 };
  const startPhase = (name: string, describe: string) => {
    phases.push({
      name: phaseStart.name,
      from: phaseStart.at,
      to: sim.now(),
      calls: net.totalCount - phaseStart.calls,
      dispatched: net.rpcCount("kv") - phaseStart.dispatched,
      bytes: net.totalBytes - phaseStart.bytes,
      completed: history.length - phaseStart.completed,
    });
    phaseStart = {
      name,
      at: sim.now(),
      calls: net.totalCount,
      dispatched: net.rpcCount("kv"),
      bytes: net.totalBytes,
      completed: history.length,
    };
    sim.trace("phase", { name });
    options.say(`t=${String(sim.now()).padStart(5)} ms  ${describe}`);
  };

  options.say(`t=    0 ms  ${options.clerks} clerks start; the network is reliable`);
  // The fault script, on the simulated clock.
  sim.setTimer(400, () => {
    net.setReliable(false);
    startPhase("lossy", "network turns lossy: 10% of requests and replies lost, 0-26 ms jitter");
  });
  sim.setTimer(1200, () => {
    net.enable("clerk-1", false);
    startPhase("partition", "clerk-1 is cut off from the server; its calls fail and it retries");
  });
  sim.setTimer(1800, () => {
    net.enable("clerk-1", true);
    net.setLongReordering(true);
    startPhase("reordering", "clerk-1 reconnects; replies are now held back up to 2.2 s");
  });
  sim.setTimer(3000, () => {
    net.setReliable(true);
    net.setLongReordering(false);
    startPhase("calm", "the network is reliable again");
  });

  const work = clerks.map(async (clerk) => {
    for (let i = 0; i < options.opsPerClerk; i++) {
      const key = KEYS[workload.int(KEYS.length)] as string;
      const dice = workload.int(10);
      const input: KvInput =
        dice < 4
          ? { op: "get", key }
          : dice < 9
            ? { op: "append", key, value: `${clerk.id}.${i} ` }
            : { op: "put", key, value: `${clerk.id}.${i} ` };
      await clerk.run(input);
      await sim.sleep(workload.int(60));
    }
  });
  // The clerks and the whole fault script both run to their end.
  await sim.settle(Promise.all([...work, sim.sleep(3000)]));
  startPhase("end", `all ${history.length} operations completed`);
  const verdict = await checkOperations(kvModel(), history, {
    timeoutMs: 10_000,
    collectInfo: true,
  });
  return {
    phases,
    history,
    verdict,
    traceSha256: createHash("sha256").update(tracer.toJsonLines()).digest("hex"),
    traceEvents: tracer.lines.length,
    virtualMs: sim.now(),
    retries: clerks.reduce((n, c) => n + c.stats.retries, 0),
  };
}
