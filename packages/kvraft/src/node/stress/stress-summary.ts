import type { StressRecord } from "./stress-record.js";

const MiB = 1 << 20;

/**
 * What the command prints for one run in text mode: nothing for a pass, the failure with the
 * command that replays it, and any notes (an inconclusive linearizability check).
 */
export function formatRecord(
  record: StressRecord,
  script = "stress:kvsrv",
  replayFlags = "",
): string {
  let text = "";
  if (!record.ok) {
    text += `FAIL ${record.scenario} seed ${record.seed}: ${record.failure}\n`;
    text += `  replay: pnpm --filter @lab/kvraft ${script} --scenario ${record.scenario} --seed ${record.seed}${replayFlags}\n`;
  }
  for (const note of record.notes)
    text += `note: ${record.scenario} seed ${record.seed}: ${note}\n`;
  return text;
}

interface ScenarioTally {
  passed: number;
  failed: number;
  realMs: number[];
  maxGrowth: number | undefined;
  maxPerClient: number | undefined;
  limit: string | undefined;
}

/** Counts results per scenario and formats the closing table. */
export class StressSummary {
  readonly #tallies = new Map<string, ScenarioTally>();
  passed = 0;
  failed = 0;

  add(record: StressRecord): void {
    let t = this.#tallies.get(record.scenario);
    if (t === undefined) {
      t = {
        passed: 0,
        failed: 0,
        realMs: [],
        maxGrowth: undefined,
        maxPerClient: undefined,
        limit: undefined,
      };
      this.#tallies.set(record.scenario, t);
    }
    if (record.ok) {
      t.passed++;
      this.passed++;
    } else {
      t.failed++;
      this.failed++;
    }
    t.realMs.push(record.realMs);
    const f = record.figures;
    if (f.heapGrowthBytes !== undefined) {
      t.maxGrowth = Math.max(t.maxGrowth ?? Number.NEGATIVE_INFINITY, f.heapGrowthBytes);
    }
    if (f.perClientBytes !== undefined) {
      t.maxPerClient = Math.max(t.maxPerClient ?? Number.NEGATIVE_INFINITY, f.perClientBytes);
    }
    if (f.limitPerClientBytes !== undefined) t.limit = `${f.limitPerClientBytes} B/client`;
    else if (f.limitBytes !== undefined) t.limit = mib(f.limitBytes);
  }

  /** One line per scenario, in the order they were first seen. */
  lines(): string[] {
    const width = Math.max(0, ...[...this.#tallies.keys()].map((k) => k.length));
    return [...this.#tallies].map(([name, t]) => {
      const sorted = [...t.realMs].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
      const max = sorted[sorted.length - 1] ?? 0;
      let memory = "";
      if (t.maxPerClient !== undefined) {
        memory = `, max ${t.maxPerClient.toFixed(2)} B/client (limit ${t.limit})`;
      } else if (t.maxGrowth !== undefined) {
        memory = `, max heap growth ${mib(t.maxGrowth)} (limit ${t.limit})`;
      }
      return `${name.padEnd(width)}  ${String(t.passed).padStart(5)} passed ${String(t.failed).padStart(4)} failed  (median ${median} ms, max ${max} ms${memory})`;
    });
  }
}

function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(2)} MiB`;
}
