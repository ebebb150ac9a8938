import {
  type CheckResult,
  checkOperationsSync,
  type KvInput,
  type KvOutput,
  kvModel,
  type Operation,
  renderHtmlReport,
} from "@lab/porcupine";
import type { ArtifactWriter } from "../artifacts.js";

/**
 * Real time a linearizability check may take; past it the check is "unknown" and passes (with a
 * note, which our own suites treat as a failure). The course allows 1 s, sized for histories
 * made in real time; in virtual time clients get through many more operations (4B's
 * SnapshotRecoverManyClients records ~110,000, which take ~1-2 s to check on a loaded 2-core
 * machine), and a check that gives up proves nothing, so the budget is 10 s.
 */
export const LINEARIZABILITY_BUDGET_MS = 10_000;

/** The outcome of {@link checkKvHistory}. */
export type KvHistoryVerdict =
  | { readonly result: "ok" }
  | { readonly result: "unknown"; readonly note: string }
  | {
      readonly result: "illegal";
      /** What went wrong, with the key and where the report went. */
      readonly message: string;
      readonly check: CheckResult<unknown>;
    };

/**
 * Checks a kv history with porcupine's kv model within `budgetMs` of real time. An illegal
 * history gets an HTML report through `artifacts` (named `reportName`), when given.
 */
export function checkKvHistory(
  history: readonly Operation<KvInput, KvOutput>[],
  options: {
    readonly reportName: string;
    readonly artifacts?: ArtifactWriter | undefined;
    readonly budgetMs?: number;
  },
): KvHistoryVerdict {
  const model = kvModel();
  const budgetMs = options.budgetMs ?? LINEARIZABILITY_BUDGET_MS;
  // Without the visualization info the search is faster; an illegal history is checked again
  // with it, for the report.
  const quick = checkOperationsSync(model, history, { timeoutMs: budgetMs });
  if (quick.result === "ok") return { result: "ok" };
  const detailed =
    quick.result === "illegal"
      ? checkOperationsSync(model, history, { timeoutMs: budgetMs, collectInfo: true })
      : quick;
  const check = detailed.result === "illegal" ? detailed : quick;
  if (check.result === "ok") return { result: "ok" };
  if (check.result === "unknown") {
    return {
      result: "unknown",
      note: `linearizability check of ${history.length} operations gave up (${check.reason ?? "limit"}) within its ${budgetMs} ms budget; passing, as the course does`,
    };
  }
  const bad = check.partitions.find((p) => p.result === "illegal");
  const first = bad?.operations[0];
  const key = first === undefined ? "?" : history[first]?.input.key;
  let where = "no artifact writer, so no HTML report";
  if (options.artifacts !== undefined) {
    const html = renderHtmlReport([
      { name: options.reportName, model, history: [...history], result: check },
    ]);
    where = `HTML report: ${options.artifacts.write(`${options.reportName}.html`, html)}`;
  }
  return {
    result: "illegal",
    message: `history is not linearizable: the operations on key ${JSON.stringify(key)} have no valid order (${where})`,
    check,
  };
}
