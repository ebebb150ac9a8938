import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

describe("README example", () => {
  it("examples/quick-start.ts runs and prints what the README says", () => {
    const root = fileURLToPath(new URL("../", import.meta.url));
    const out = execFileSync(
      process.execPath,
      ["--import", "tsx", "--conditions=@lab/source", "examples/quick-start.ts"],
      { cwd: root, encoding: "utf8" },
    );
    const lines = out.trim().split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "verdict: illegal",
      'longest linearizable prefix: put("x", "1") => "1", get("x") -> "1" => "1"',
      'stuck at: get("x") -> ""',
    ]);
    expect(lines[3]).toMatch(/^report: \d+ bytes of HTML$/);
  });
});

describe("README", () => {
  it("shows examples/quick-start.ts verbatim", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const example = readFileSync(new URL("../examples/quick-start.ts", import.meta.url), "utf8");
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
  });
});
