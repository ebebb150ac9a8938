import type { BenchRow } from "./suite.js";

/** Three significant digits, with thousands separators for large figures. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString("en-US");
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

/** A plain-text table, one row per figure: value, in-run baseline, ratio. */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ["suite", "case", "metric", "value", "unit", "baseline", "ratio", "baseline is"];
  const body = rows.map((r) => [
    r.suite,
    r.case,
    r.metric,
    formatNumber(r.value),
    r.unit,
    r.baseline === null ? "-" : formatNumber(r.baseline),
    r.ratio === null ? "-" : r.ratio.toFixed(2),
    r.baselineName ?? "",
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...body.map((cells) => (cells[i] ?? "").length)),
  );
  const numeric = new Set([3, 5, 6]);
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

/**
 * One row as the JSON line `--json` writes: `suite`, `case`, `metric`, `value`, `unit`,
 * `baseline`, `ratio`, and `baselineName` when the row names its baseline.
 */
export function formatJsonLine(r: BenchRow): string {
  return JSON.stringify({
    suite: r.suite,
    case: r.case,
    metric: r.metric,
    value: r.value,
    unit: r.unit,
    baseline: r.baseline,
    ratio: r.ratio,
    ...(r.baselineName === undefined ? {} : { baselineName: r.baselineName }),
  });
}
