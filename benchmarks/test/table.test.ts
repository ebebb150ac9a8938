import { describe, expect, it } from "vitest";
import { row } from "../src/suite.js";
import { formatJsonLine, formatNumber, formatTable } from "../src/table.js";

describe("benchmark rows and table", () => {
  it("row computes the ratio against the in-run baseline", () => {
    const r = row({
      suite: "s",
      case: "c",
      metric: "ops/s",
      value: 300,
      unit: "ops/s",
      baseline: 400,
    });
    expect(r.ratio).toBeCloseTo(0.75);
    expect(row({ suite: "s", case: "c", metric: "m", value: 1, unit: "u" }).ratio).toBeNull();
    expect(
      row({ suite: "s", case: "c", metric: "m", value: 1, unit: "u", baseline: 0 }).ratio,
    ).toBeNull();
  });

  it("formats figures with three significant digits and separators", () => {
    expect(formatNumber(1234567.8)).toBe("1,234,568");
    expect(formatNumber(123.4)).toBe("123");
    expect(formatNumber(12.34)).toBe("12.3");
    expect(formatNumber(1.234)).toBe("1.23");
    expect(formatNumber(0.001234)).toBe("0.00123");
  });

  it("prints one aligned line per row under a header", () => {
    const rows = [
      row({
        suite: "tcp",
        case: "1 call",
        metric: "rt/s",
        value: 20000,
        unit: "rt/s",
        baseline: 25000,
        baselineName: "raw",
      }),
      row({
        suite: "tcp",
        case: "64 calls",
        metric: "rt/s",
        value: 90000,
        unit: "rt/s",
        baseline: 100000,
      }),
    ];
    const lines = formatTable(rows).split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^suite\s+case\s+metric\s+value\s+unit\s+baseline\s+ratio/);
    expect(lines[2]).toContain("20,000");
    expect(lines[2]).toContain("0.80");
    expect(lines[3]).toContain("0.90");
    expect(new Set(lines.slice(2).map((l) => l.indexOf("rt/s")))).toHaveProperty("size", 1);
  });

  it("writes one JSON object per row, with baselineName when the row has one", () => {
    const named = row({
      suite: "tcp",
      case: "1 call",
      metric: "rt/s",
      value: 20000,
      unit: "rt/s",
      baseline: 25000,
      baselineName: "raw node:net echo",
    });
    expect(JSON.parse(formatJsonLine(named))).toEqual({
      suite: "tcp",
      case: "1 call",
      metric: "rt/s",
      value: 20000,
      unit: "rt/s",
      baseline: 25000,
      ratio: 0.8,
      baselineName: "raw node:net echo",
    });
    const bare = JSON.parse(
      formatJsonLine(row({ suite: "s", case: "c", metric: "m", value: 1, unit: "u" })),
    );
    expect(bare).toEqual({
      suite: "s",
      case: "c",
      metric: "m",
      value: 1,
      unit: "u",
      baseline: null,
      ratio: null,
    });
  });
});
