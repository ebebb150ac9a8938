import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");

describe("README: the @lab/raft/disk example", () => {
  const example = read("../../examples/disk-storage.ts");
  const readme = read("../../README.md");

  it("is examples/disk-storage.ts, verbatim", () => {
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
  });

  it("runs and prints what the README says it prints", () => {
    const root = fileURLToPath(new URL("../../", import.meta.url));
    const out = execFileSync(
      process.execPath,
      ["--import", "tsx", "--conditions=@lab/source", "examples/disk-storage.ts"],
      { cwd: root, encoding: "utf8" },
    );
    const after = readme.slice(readme.indexOf(example) + example.length);
    const printed = /It prints[^\n]*\n\n```text\n([\s\S]*?)```/.exec(after)?.[1];
    expect(printed).toBeDefined();
    expect(out).toBe(printed);
  });
});
