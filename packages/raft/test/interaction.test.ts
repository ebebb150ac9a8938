import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  diffLines,
  formatMismatch,
  InteractionScriptError,
  interactionCommands,
  runInteractionScript,
} from "../src/testing/interaction/index.js";

// Golden-file tests: each testdata/interaction/*.txt is a script of commands, each followed by
// the output it must print. `REWRITE=1 pnpm exec vitest run test/interaction.test.ts` writes the
// actual outputs into the files instead, to be reviewed as a git diff.

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const dataDir = join(packageDir, "testdata", "interaction");
const rewrite = process.env.REWRITE === "1" || process.env.REWRITE === "true";
const scripts = readdirSync(dataDir)
  .filter((f) => f.endsWith(".txt"))
  .sort();

describe("interaction scripts", () => {
  it("finds the scripts", () => {
    expect(scripts.length).toBeGreaterThanOrEqual(7);
  });

  for (const name of scripts) {
    it(name, () => {
      const path = join(dataDir, name);
      const file = relative(process.cwd(), path);
      const text = readFileSync(path, "utf8");
      // Scripts explain themselves: each opens with comments saying what it shows.
      expect(text.startsWith("#"), `${file} should open with # comments`).toBe(true);
      const result = runInteractionScript(text, { file });
      if (rewrite) {
        if (result.rewritten !== text) writeFileSync(path, result.rewritten);
        return;
      }
      const first = result.mismatches[0];
      if (first !== undefined) {
        const more = result.mismatches.length - 1;
        throw new Error(
          `${formatMismatch(first)}${more > 0 ? `\n(${more} later commands differ too)` : ""}\n` +
            "Rerun with REWRITE=1 to accept the new outputs.",
        );
      }
      // The file is exactly what a rewrite would produce: nothing stale, nothing reformatted.
      expect(result.rewritten).toBe(text);
    });
  }
});

describe("interaction runner", () => {
  const script = [
    "# a leader in a cluster of one commits alone",
    "add-nodes 1",
    "----",
    "0: follower term=0 vote=- lead=- commit=0 applied=0 last=0/0",
    "",
    "campaign 0",
    "----",
    "wrong expectation",
    "",
  ].join("\n");

  it("reports a mismatch with file, line and a diff, and rewrites only the output", () => {
    const result = runInteractionScript(script, { file: "demo.txt" });
    expect(result.commands).toBe(2);
    expect(result.mismatches).toHaveLength(1);
    const report = formatMismatch(result.mismatches[0] as (typeof result.mismatches)[0]);
    expect(report).toMatch(/^demo\.txt:6: output of "campaign 0" differs/);
    expect(report).toContain("- wrong expectation");
    expect(report).toMatch(/\+ tick \d+: 0: leader term=1 vote=0 lead=0 commit=0/);
    // The rewritten script keeps comments and commands and passes as it is.
    expect(result.rewritten).toContain("# a leader in a cluster of one commits alone\n");
    const again = runInteractionScript(result.rewritten, { file: "demo.txt" });
    expect(again.mismatches).toEqual([]);
    expect(again.rewritten).toBe(result.rewritten);
  });

  it("is deterministic: every script gives the same output twice", () => {
    for (const name of scripts) {
      const text = readFileSync(join(dataDir, name), "utf8");
      const a = runInteractionScript(text, { file: name }).rewritten;
      const b = runInteractionScript(text, { file: name }).rewritten;
      expect(a, name).toBe(b);
    }
  });

  it("names the file and line of a malformed command", () => {
    expect(() =>
      runInteractionScript("add-nodes 2\n----\nx\n\nfly 0\n----\n", { file: "f.txt" }),
    ).toThrow(/^f\.txt:5: fly 0: InteractionScriptError: unknown command fly/);
    expect(() =>
      runInteractionScript("add-nodes 2\n----\nx\n\ndeliver-msgs form=1\n----\n", {
        file: "f.txt",
      }),
    ).toThrow(InteractionScriptError);
    expect(() =>
      runInteractionScript("add-nodes 2\n----\nx\n\ncrash 7\n----\n", { file: "f.txt" }),
    ).toThrow(/f\.txt:5: crash 7: .*no node 7/);
  });

  it("refuses sync without async writes, and syncing no writes", () => {
    expect(() =>
      runInteractionScript("add-nodes 2\n----\nx\n\nsync 0\n----\n", { file: "f.txt" }),
    ).toThrow(/^f\.txt:5: sync 0: .*node 0 persists each Ready as it handles it/);
    expect(() =>
      runInteractionScript("add-nodes 2 async-writes=on\n----\nx\n\nsync 0 n=0\n----\n", {
        file: "f.txt",
      }),
    ).toThrow(/n must be at least 1/);
    expect(() =>
      runInteractionScript("add-nodes 2 async-writes=maybe\n----\nx\n", { file: "f.txt" }),
    ).toThrow(/async-writes=on\|off, got maybe/);
    // Nothing pending is no error: the output says so.
    const quiet = runInteractionScript("add-nodes 2 async-writes=on\n----\nx\n\nsync 0,1\n----\n", {
      file: "f.txt",
    });
    expect(quiet.rewritten).toContain("> 0 has no pending writes\n> 1 has no pending writes\n");
  });

  it("documents every command in the README", () => {
    const readme = readFileSync(join(dataDir, "README.md"), "utf8");
    for (const name of Object.keys(interactionCommands)) {
      expect(readme, name).toMatch(new RegExp(`\\| \`${name}[ \`]`));
    }
  });

  it("diffs lines by longest common subsequence", () => {
    expect(diffLines(["a", "b", "c"], ["a", "x", "c", "d"])).toEqual([
      "  a",
      "- b",
      "+ x",
      "  c",
      "+ d",
    ]);
  });
});
