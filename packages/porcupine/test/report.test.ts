import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  checkOperationsSync,
  kvModel,
  type Operation,
  parseKvLog,
  type RegisterInput,
  type RegisterOutput,
  registerModel,
} from "../src/index.js";
import { renderHtmlReport } from "../src/report/render-html-report.js";
import type { ReportHistory } from "../src/report/report-data.js";
import { dataDir, op } from "./helpers.js";

/** The JSON a report page embeds. */
function embedded(html: string): { histories: ReportHistory[] } {
  const match = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  expect(match).not.toBeNull();
  return JSON.parse(match![1]!);
}

describe("HTML report", () => {
  const history: Operation<RegisterInput, RegisterOutput>[] = [
    op(0, 0, 10, { op: "write", value: 1 }, { type: "ok" }),
    op(1, 1, 2, { op: "read" }, { type: "ok", value: 1 }),
    op(2, 3, 4, { op: "read" }, { type: "ok", value: 0 }),
    op(3, 3, Number.POSITIVE_INFINITY, { op: "write", value: 9 }, { type: "unknown" }),
  ];
  const model = registerModel();
  const result = checkOperationsSync(model, history, { collectInfo: true });

  it("embeds the history with descriptions, lanes and a compressed time axis", () => {
    const [h] = embedded(
      renderHtmlReport([{ name: "inversion", model, history, result }]),
    ).histories;
    expect(h!.name).toBe("inversion");
    expect(h!.result).toBe("illegal");
    expect(h!.clients).toEqual(["0", "1", "2", "3"]);
    expect(h!.initialState).toBe("0");
    // Distinct finite times 0,1,2,3,4,10 become positions 0..5; a pending op has no end.
    expect(h!.operations.map((o) => [o.start, o.end, o.label])).toEqual([
      [0, 5, "write(1)"],
      [1, 2, "read() -> 1"],
      [3, 4, "read() -> 0"],
      [3, null, "write(9) ?"],
    ]);
  });

  it("shows the longest prefix, its states, the stuck operation and the candidates", () => {
    const [h] = embedded(
      renderHtmlReport([{ name: "inversion", model, history, result }]),
    ).histories;
    const [partial] = h!.partitions[0]!.partials;
    expect(partial).toEqual({
      // The write that never returned may take effect anywhere after its call: the longest
      // prefix includes it, and the read of 0 is still impossible after it.
      operations: [0, 1, 3],
      states: ["1", "1", "9"],
      stuck: 2,
      candidates: [{ operation: 2, why: "illegal in this state" }],
    });
  });

  it("shows a linearization with its states for a legal partition", () => {
    const legal = history.slice(0, 2);
    const ok = checkOperationsSync(model, legal, { collectInfo: true });
    const [h] = embedded(
      renderHtmlReport([{ name: "legal", model, history: legal, result: ok }]),
    ).histories;
    expect(h!.partitions[0]).toMatchObject({
      result: "ok",
      linearization: [0, 1],
      states: ["1", "1"],
      partials: [],
    });
  });

  it("marks partitions the check skipped", () => {
    const kv = parseKvLog(readFileSync(join(dataDir(), "kv/c10-bad.txt"), "utf8"));
    const checked = checkOperationsSync(kvModel(), kv, { collectInfo: true });
    const [h] = embedded(
      renderHtmlReport([{ name: "c10-bad", model: kvModel(), history: kv, result: checked }]),
    ).histories;
    expect(h!.partitions.map((p) => p.result)).toEqual(checked.partitions.map((p) => p.result));
    expect(h!.partitions.some((p) => p.result === "skipped")).toBe(true);
    const bad = h!.partitions.find((p) => p.result === "illegal")!;
    expect(bad.partials[0]!.states.every((s) => s.startsWith('"'))).toBe(true);
  });

  it("cannot be broken out of by recorded values", () => {
    const evil: Operation<RegisterInput<string>, RegisterOutput<string>>[] = [
      op(0, 0, 1, { op: "write", value: "</script><script>alert(1)</script>" }, { type: "ok" }),
    ];
    const m = registerModel<string>({ initial: "" });
    const html = renderHtmlReport([
      { name: "<b>evil</b>", model: m, history: evil, result: checkOperationsSync(m, evil) },
    ]);
    expect(html).not.toContain("<script>alert(1)");
    expect(html).not.toContain("<b>evil</b>");
    expect(embedded(html).histories[0]!.operations[0]!.label).toContain(
      "</script><script>alert(1)</script>",
    );
  });

  it("is self-contained: no external scripts, styles or images", () => {
    const html = renderHtmlReport([{ name: "x", model, history, result }]);
    expect(html).not.toMatch(/\b(src|href)\s*=/);
    expect(html).not.toMatch(/@import|url\(/);
  });
});
