import {
  checkOperations,
  type KvInput,
  type KvOutput,
  kvModel,
  type Operation,
  renderHtmlReport,
} from "@lab/porcupine";

// Three clients of a key/value store. Times are in any unit (here: milliseconds).
// Client 1 reads "1" while the put is still in flight: fine, the put may already have happened.
// Client 2 reads "" after client 1's read returned: the value went back in time.
const history: Operation<KvInput, KvOutput>[] = [
  {
    clientId: 0,
    input: { op: "put", key: "x", value: "1" },
    call: 0,
    output: { type: "ok" },
    return: 10,
  },
  {
    clientId: 1,
    input: { op: "get", key: "x" },
    call: 2,
    output: { type: "ok", value: "1" },
    return: 5,
  },
  {
    clientId: 2,
    input: { op: "get", key: "x" },
    call: 6,
    output: { type: "ok", value: "" },
    return: 8,
  },
  // A put that never returned (the client crashed): it may take effect at any point, or never.
  {
    clientId: 3,
    input: { op: "put", key: "y", value: "7" },
    call: 1,
    output: { type: "unknown" },
    return: Infinity,
  },
];

const model = kvModel();
const result = await checkOperations(model, history, { collectInfo: true, timeoutMs: 10_000 });
console.log(`verdict: ${result.result}`);

for (const partition of result.partitions) {
  for (const partial of partition.partialLinearizations ?? []) {
    const steps = partial.operations.map((i, k) => {
      const op = history[i]!;
      return `${model.describeOperation?.(op.input, op.output)} => ${model.describeState?.(partial.states[k]!)}`;
    });
    const stuck = history[partial.stuckOperation]!;
    console.log(`longest linearizable prefix: ${steps.join(", ")}`);
    console.log(`stuck at: ${model.describeOperation?.(stuck.input, stuck.output)}`);
  }
}

// The same result as a self-contained HTML page (write it to a file and open it in a browser).
const html = renderHtmlReport([{ name: "quick start", model, history, result }]);
console.log(`report: ${html.length} bytes of HTML`);
