import { defineConfig } from "vitest/config";

// Tests run against package sources through the "@lab/source" export condition, so no build is
// needed before testing and a change in one package is seen by its dependents at once.
export default defineConfig({
  ssr: { resolve: { conditions: ["@lab/source"] } },
  resolve: { conditions: ["@lab/source"] },
  test: {
    projects: ["packages/*", "apps/*", "benchmarks"],
  },
});
