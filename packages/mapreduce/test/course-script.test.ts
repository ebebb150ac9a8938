import { describe, inject, it } from "vitest";
import { courseScriptCases, gutenbergFiles, runScriptCase } from "../src/testing/index.js";

/**
 * The course's test-mr.sh, case by case, with real processes on the 8 Gutenberg texts, at the
 * CI settings (ciSettings). `pnpm stress --course-settings` runs the same cases with the course's
 * timings. The time limits below only catch hangs; every case bounds its own processes too.
 */
const inputs = gutenbergFiles();
const cli = inject("mapreduceCli");
const LIMIT_MS: Record<string, number> = { crash: 200_000 };

describe("the course's test script (test-mr.sh)", () => {
  for (const scriptCase of courseScriptCases) {
    it(
      `${scriptCase.name}: ${scriptCase.title}`,
      () => runScriptCase(scriptCase, { inputs, cli }),
      LIMIT_MS[scriptCase.name] ?? 120_000,
    );
  }
});
