import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { builtinModel, checkOperations, type Operation, parseHistory } from "@lab/porcupine";
import { type BenchRow, type BenchSuite, row } from "../suite.js";

const REFERENCE = "Porcupine v1.3.0 (Go), EXPECTED.md";
/** EXPECTED.md lists no Go time for the kv files; the issue gives c50-ok's: about 0.18 s. */
const C50_OK_REFERENCE_MS = 180;
const C50_REFERENCE = "Porcupine v1.3.0 (Go), issue figure";

/** `$LAB_SHARED_DIR/data/porcupine/`, else `shared/` beside the repository. */
function dataDir(): string {
  const override = process.env.LAB_SHARED_DIR;
  if (override) return join(override, "data", "porcupine");
  return fileURLToPath(new URL("../../../../shared/data/porcupine/", import.meta.url));
}

interface Expected {
  readonly ok: boolean;
  readonly goMs: number | null;
}

/** Expected verdicts and the reference checker's per-file times, read from EXPECTED.md's tables. */
function readExpected(dir: string): Map<string, Expected> {
  const expected = new Map<string, Expected>();
  for (const line of readFileSync(join(dir, "EXPECTED.md"), "utf8").split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    const name = cells[1] ?? "";
    if (!/^(kv\/.+\.txt|etcd_\d+\.log)$/.test(name)) continue;
    const ok = cells.some((c) => c.includes("(Ok)"));
    const file = name.startsWith("kv/") ? name : `jepsen/${name}`;
    const last = Number(cells[cells.length - 2]);
    const goMs =
      file === "kv/c50-ok.txt" ? C50_OK_REFERENCE_MS : file.startsWith("jepsen/") ? last : null;
    expected.set(file, { ok, goMs: goMs !== null && Number.isFinite(goMs) ? goMs : null });
  }
  return expected;
}

/**
 * Median time of one check, parse excluded. Fast files are timed in batches long enough for the
 * clock to resolve them (about 2 ms per sample), slow ones one check per sample.
 */
async function medianCheckMs(check: () => Promise<unknown>, samples: number): Promise<number> {
  const started = performance.now();
  await check();
  const once = performance.now() - started;
  const batch = Math.max(1, Math.min(1000, Math.ceil(2 / Math.max(once, 0.001))));
  for (let i = 0; i < Math.min(5, samples); i++) for (let j = 0; j < batch; j++) await check();
  const times: number[] = [];
  for (let s = 0; s < samples; s++) {
    const t0 = performance.now();
    for (let j = 0; j < batch; j++) await check();
    times.push((performance.now() - t0) / batch);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  return times.length % 2 === 1 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
}

const suite: BenchSuite = {
  name: "porcupine",
  description:
    "Linearizability check time per recorded history (parse excluded, median), beside the reference Go checker's times",
  async run(context) {
    const dir = dataDir();
    const expected = readExpected(dir);
    const files = ["jepsen", "kv"].flatMap((sub) =>
      readdirSync(join(dir, sub))
        .filter((f) => f.endsWith(".log") || f.endsWith(".txt"))
        .sort()
        .map((f) => `${sub}/${f}`),
    );
    const samples = context.quick ? 5 : 21;
    const histories = files.map((file) => {
      const loaded = parseHistory(readFileSync(join(dir, file), "utf8"), { file });
      const history: readonly Operation<unknown, unknown>[] = loaded.operations;
      return { file, model: builtinModel(loaded.model), history };
    });
    // The first pass over every file, timed as a whole: what one run of the CLI over the etcd
    // logs pays, JIT compilation included. The per-file figures below are steady state, after
    // three more warm-up passes (the Go reference is compiled ahead of time).
    let coldEtcdMs = 0;
    for (const h of histories) {
      const t0 = performance.now();
      await checkOperations(h.model, h.history);
      if (h.file.startsWith("jepsen/")) coldEtcdMs += performance.now() - t0;
    }
    for (let pass = 0; pass < 3; pass++)
      for (const h of histories) await checkOperations(h.model, h.history);
    const rows: BenchRow[] = [];
    let etcdMs = 0;
    let etcdGoMs = 0;
    for (const { file, model, history } of histories) {
      const want = expected.get(file);
      const verdict = (await checkOperations(model, history)).result;
      if (want === undefined || verdict !== (want.ok ? "ok" : "illegal")) {
        throw new Error(
          `${file}: verdict ${verdict}, but EXPECTED.md says ${want ? (want.ok ? "ok" : "illegal") : "nothing"}`,
        );
      }
      const ms = await medianCheckMs(() => checkOperations(model, history), samples);
      context.log(
        `porcupine: ${file} ${verdict} ${ms.toFixed(3)} ms (Go ${want.goMs ?? "n/a"} ms)`,
      );
      if (file.startsWith("jepsen/")) {
        etcdMs += ms;
        etcdGoMs += want.goMs ?? 0;
      }
      rows.push(
        row({
          suite: "porcupine",
          case: `${file} (${verdict}, ${history.length} ops)`,
          metric: "check time (median)",
          value: ms,
          unit: "ms",
          baseline: want.goMs,
          ...(want.goMs === null
            ? {}
            : { baselineName: file === "kv/c50-ok.txt" ? C50_REFERENCE : REFERENCE }),
        }),
      );
    }
    const etcdCount = files.filter((f) => f.startsWith("jepsen/")).length;
    rows.push(
      row({
        suite: "porcupine",
        case: `total: all ${etcdCount} etcd logs`,
        metric: "check time (sum of medians)",
        value: etcdMs,
        unit: "ms",
        baseline: etcdGoMs,
        baselineName: REFERENCE,
      }),
    );
    rows.push(
      row({
        suite: "porcupine",
        case: `total: all ${etcdCount} etcd logs, first pass (cold JIT)`,
        metric: "check time (sum)",
        value: coldEtcdMs,
        unit: "ms",
        baseline: etcdGoMs,
        baselineName: REFERENCE,
      }),
    );
    return rows;
  },
};

export default suite;
