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

/** The course's budget for a linearizability check: past it, the check is "unknown" and passes. */
export const LINEARIZABILITY_BUDGET_MS = 1000;

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
  const check = checkOperationsSync(model, history, { timeoutMs: budgetMs, collectInfo: true });
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
