import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, inject, it } from "vitest";
import { gutenbergFiles } from "../src/testing/index.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const readme = readFileSync(join(root, "README.md"), "utf8");
const scratch = mkdtempSync(join(tmpdir(), "mr-readme-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe("README", () => {
  it("examples/quick-start.ts runs and prints what the README says", () => {
    const out = execFileSync(
      process.execPath,
      ["--import", "tsx", "--conditions=@lab/source", "examples/quick-start.ts"],
      { cwd: root, encoding: "utf8" },
    );
    expect(out).toBe("2 maps, 3 reduces\nworkers: done, done\na 8, b 4, c 2, d 1, e 1, g 1, r 2\n");
    expect(readme).toContain(`\`\`\`text\n${out}\`\`\``);
  });

  it("shows examples/quick-start.ts verbatim", () => {
    const example = readFileSync(join(root, "examples", "quick-start.ts"), "utf8");
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
  });

  // Runs the README's shell block (several CLI processes): 16 s in CI, where every suite shares
  // 2 cores, so it gets more than the default 30 s budget.
  it("the command-line block runs and prints 'same'", { timeout: 120_000 }, () => {
    const block = /## Command line[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] as string;
    const [first, ...rest] = block.trimEnd().split("\n");
    expect(first).toBe("texts=../shared/data/gutenberg");
    const cli = inject("mapreduceCli");
    const script = [
      `mapreduce() { ${[cli.command, ...cli.args].map((a) => `'${a}'`).join(" ")} "$@"; }`,
      `texts='${dirname(gutenbergFiles()[0] as string)}'`,
      "set -e",
      ...rest,
    ].join("\n");
    const out = execFileSync("bash", ["-c", script], { cwd: scratch, encoding: "utf8" });
    expect(out).toBe("same\n");
    expect(readFileSync(join(scratch, "progress.log"), "utf8")).toMatch(
      /job done in \d+\.\d s \(maps 8\/8, reduces 10\/10\)\nworkers exited with codes 0, 0, 0\n$/,
    );
  });
});
