import { buildReportHistory, type ReportHistory, type ReportInput } from "./report-data.js";
import { REPORT_SCRIPT } from "./report-script.js";
import { REPORT_STYLE } from "./report-style.js";

/**
 * Renders checked histories as one self-contained HTML page (no external resources): one lane
 * per client, each operation a bar from call to return, partitions selectable, and for an
 * illegal partition the longest linearizable prefix with the model state after each operation,
 * the operation where it gets stuck (highlighted, with a line at its return) and the candidates
 * that could not go next. Hovering or clicking a bar shows its details.
 *
 * Check with `collectInfo: true` so the result carries the linearizations the page shows.
 */
export function renderHtmlReport(
  histories: readonly ReportInput<unknown, unknown, unknown>[],
): string {
  const data: { histories: ReportHistory[] } = {
    histories: histories.map((h) => buildReportHistory(h)),
  };
  const title =
    data.histories.length === 1
      ? `Linearizability: ${data.histories[0]!.name}`
      : "Linearizability report";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<header>
  <h1>Linearizability report</h1>
  <select id="history-select" aria-label="history"></select>
  <strong id="history-name"></strong>
  <span id="verdict" class="verdict"></span>
  <span id="summary" class="muted"></span>
</header>
<nav id="partitions"></nav>
<div class="layout">
  <div id="timeline-box"><div id="timeline"></div></div>
  <aside id="details"></aside>
</div>
<script type="application/json" id="report-data">${jsonForScript(data)}</script>
<script>${REPORT_SCRIPT}</script>
</body>
</html>
`;
}

/** JSON that can sit inside a `<script>` element: no `</script>` or `<!--` can end it early. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
