import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");
const root = fileURLToPath(new URL("../", import.meta.url));

describe.each(["examples/kvraft.ts", "examples/kvsrv.ts", "examples/kvsrv-harness.ts"])(
  "README example %s",
  (file) => {
    const readme = read("../README.md");
    const source = read(`../${file}`);
    const block = `\`\`\`ts\n${source}\`\`\``;

    it("is in the README verbatim", () => {
      expect(readme).toContain(block);
    });

    it("runs and prints what the README says it prints", () => {
      const out = execFileSync(
        process.execPath,
        ["--import", "tsx", "--conditions=@lab/source", file],
        { cwd: root, encoding: "utf8" },
      );
      const after = readme.slice(readme.indexOf(block) + block.length);
      const printed = /```text\n([\s\S]*?)```/.exec(after)?.[1];
      expect(printed).toBeDefined();
      expect(out).toBe(printed);
    });
  },
);
