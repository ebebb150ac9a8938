import { describe, expect, it } from "vitest";

// scripts/check-no-math-random.mjs is the CI check for DESIGN principle 2; it is tested here
// because the scripts folder has no vitest project of its own. Imported through a URL string so
// TypeScript does not look for declarations of the plain .mjs file.
const scriptUrl = new URL("../../scripts/check-no-math-random.mjs", import.meta.url).href;
const { findMathRandom, stripComments } = (await import(scriptUrl)) as {
  findMathRandom(source: string): number[];
  stripComments(source: string): string;
};

describe("check-no-math-random", () => {
  it("finds real uses, in any spelling", () => {
    const source = [
      "const a = Math.random();",
      "const b = Math . random();",
      'const c = Math["random"]();',
      "const d = Math[ 'random' ]();",
      "const e = Math?.random();",
      // A use inside a template literal's placeholder (split so no placeholder is in a string).
      "const f = `$" + "{Math.random()}`;",
      "const g = 1; const h = Math.random(); // a comment after code",
      "const i = /\\/\\//.test(s) && Math.random();",
      'const j = "http://example.com"; Math.random();',
    ].join("\n");
    expect(findMathRandom(source)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("ignores comments that mention it", () => {
    const source = [
      "// never call Math.random here",
      "/** Draws from the injected Random, not Math.random(). */",
      "/*",
      " * Math.random is forbidden (DESIGN principle 2).",
      ' * Math["random"] too.',
      " */",
      "const x = 1; // Math.random",
      "const y = 2; /* Math.random */ const z = 3;",
      "const random = rng.random(); // Mathematics.random is fine too",
    ].join("\n");
    expect(findMathRandom(source)).toEqual([]);
  });

  it("keeps line numbers when blanking comments", () => {
    const source = "/* one\ntwo */\nMath.random();\n";
    expect(stripComments(source).split("\n")).toHaveLength(4);
    expect(findMathRandom(source)).toEqual([3]);
  });
});
