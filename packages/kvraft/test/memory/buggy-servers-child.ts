/**
 * Runs memory scenarios against deliberately leaky servers, in a process of its own, and prints
 * one JSON line per case: `{ label, ok, failure, figures }`. The many-clients cases use 10,000
 * clerks instead of 100,000: the limits are per clerk, and the leaks are far above them.
 * Measured with the memory-usage probe, as the course suite is.
 */
import { nodeMemoryUsageProbe, runKvsrvScenario } from "../../src/testing/index.js";
import { memGet } from "../../src/testing/kvsrv/scenarios/mem-big-values.js";
import {
  getManyClients,
  putManyClients,
} from "../../src/testing/kvsrv/scenarios/mem-many-clients.js";
import { keepsEveryReply, keepsPutValues } from "../fixtures/buggy-servers.js";

const cases = [
  { label: "MemGet/keeps-every-reply", scenario: memGet, server: keepsEveryReply },
  {
    label: "MemGetManyClients/keeps-every-reply",
    scenario: getManyClients(10_000),
    server: keepsEveryReply,
  },
  {
    label: "MemPutManyClients/keeps-put-values",
    scenario: putManyClients(10_000),
    server: keepsPutValues,
  },
];

const heap = nodeMemoryUsageProbe();
for (const { label, scenario, server } of cases) {
  const result = await runKvsrvScenario(scenario, { seed: 1, heap, server });
  const line = { label, ok: result.ok, failure: result.failure?.message, figures: result.figures };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
