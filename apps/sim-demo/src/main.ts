/**
 * `npm run demo [-- --seed N] [--buggy] [--clerks N] [--ops N]`
 *
 * A key/value server and its clerks on the deterministic simulated network, through lossy
 * links, a partition and long reordering; the clerks' history is then checked for
 * linearizability. Run it twice with one seed and the trace hash is the same; run it with
 * `--buggy` (no duplicate detection) and porcupine catches writes applied twice.
 */
import { parseArgs } from "node:util";
import { runScenario } from "./scenario.js";

function positiveInt(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) {
    console.error(`demo: --${name} needs a non-negative integer, got "${text}"`);
    process.exit(3);
  }
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seed: { type: "string" },
      buggy: { type: "boolean", default: false },
      clerks: { type: "string" },
      ops: { type: "string" },
    },
  });
  const seed = positiveInt("seed", values.seed, 1);
  const buggy = values.buggy ?? false;
  const clerks = Math.max(1, positiveInt("clerks", values.clerks, 5));
  const opsPerClerk = positiveInt("ops", values.ops, 40);

  console.log(
    `seed=${seed} clerks=${clerks} ops/clerk=${opsPerClerk} server=${buggy ? "WITHOUT duplicate detection (--buggy)" : "at-most-once"}`,
  );
  const started = performance.now();
  const report = await runScenario({
    seed,
    buggy,
    clerks,
    opsPerClerk,
    say: (l) => console.log(l),
  });
  const realMs = performance.now() - started;

  console.log("\nphase        virtual ms   calls  dispatched  completed  bytes");
  for (const p of report.phases) {
    console.log(
      `${p.name.padEnd(11)} ${String(p.from).padStart(5)}-${String(p.to).padEnd(6)} ${String(p.calls).padStart(6)} ${String(p.dispatched).padStart(11)} ${String(p.completed).padStart(10)}  ${p.bytes}`,
    );
  }
  console.log(
    `\n${report.history.length} operations, ${report.retries} retries, ${report.virtualMs} ms of virtual time in ${realMs.toFixed(0)} ms of real time`,
  );
  console.log(`trace: ${report.traceEvents} events, sha256 ${report.traceSha256.slice(0, 16)}…`);

  const { verdict } = report;
  if (verdict.result === "ok") {
    console.log(`porcupine: linearizable (${verdict.partitions.length} keys checked)`);
  } else if (verdict.result === "illegal") {
    const bad = verdict.partitions.find((p) => p.result === "illegal");
    const first = bad?.operations[0];
    const key = first === undefined ? "?" : report.history[first]?.input.key;
    console.log(`porcupine: NOT linearizable: the history of key "${key}" has no valid order`);
    const stuck = bad?.partialLinearizations?.[0];
    if (stuck !== undefined) {
      const op = report.history[stuck.stuckOperation];
      console.log(
        `  after ${stuck.operations.length} operations in order, clerk ${op?.clientId}'s ${op?.input.op} at t=${op?.call} cannot be placed (value then: ${JSON.stringify(stuck.states.at(-1) ?? "")})`,
      );
    }
  } else {
    console.log(`porcupine: unknown (${verdict.reason ?? "limit reached"})`);
  }
  console.log(`replay this run: npm run demo -- --seed ${seed}${buggy ? " --buggy" : ""}`);
  if (!buggy && verdict.result !== "ok") return 1;
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
