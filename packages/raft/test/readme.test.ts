import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");

describe("README example", () => {
  it("is examples/three-peers.ts, verbatim", () => {
    expect(read("../README.md")).toContain(`\`\`\`ts\n${read("../examples/three-peers.ts")}\`\`\``);
  });

  it("runs and prints what the README says it prints", () => {
    const root = fileURLToPath(new URL("../", import.meta.url));
    const out = execFileSync(
      process.execPath,
      ["--import", "tsx", "--conditions=@lab/source", "examples/three-peers.ts"],
      { cwd: root, encoding: "utf8" },
    );
    const printed = /It prints[^\n]*\n\n```text\n([\s\S]*?)```/.exec(read("../README.md"))?.[1];
    expect(printed).toBeDefined();
    expect(out).toBe(printed);
  });
});

describe("README example of reads and leadership transfer", () => {
  it("is examples/reads-and-transfer.ts, verbatim", () => {
    expect(read("../README.md")).toContain(
      `\`\`\`ts\n${read("../examples/reads-and-transfer.ts")}\`\`\``,
    );
  });

  it("runs and prints what the README says it prints", () => {
    const root = fileURLToPath(new URL("../", import.meta.url));
    const out = execFileSync(
      process.execPath,
      ["--import", "tsx", "--conditions=@lab/source", "examples/reads-and-transfer.ts"],
      { cwd: root, encoding: "utf8" },
    );
    const printed = /The example prints:\n\n```text\n([\s\S]*?)```/.exec(read("../README.md"))?.[1];
    expect(printed).toBeDefined();
    expect(out).toBe(printed);
  });
});

describe("README example of membership change", () => {
  it("is examples/membership.ts, verbatim", () => {
    expect(read("../README.md")).toContain(`\`\`\`ts\n${read("../examples/membership.ts")}\`\`\``);
  });

  it("runs and prints what the README says it prints", () => {
    const root = fileURLToPath(new URL("../", import.meta.url));
    const out = execFileSync(
      process.execPath,
      ["--import", "tsx", "--conditions=@lab/source", "examples/membership.ts"],
      { cwd: root, encoding: "utf8" },
    );
    const printed = /It prints, in virtual time:\n\n```text\n([\s\S]*?)```/.exec(
      read("../README.md"),
    )?.[1];
    expect(printed).toBeDefined();
    expect(out).toBe(printed);
  });
});
