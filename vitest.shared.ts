import { defineProject } from "vitest/config";

/** Base settings for every package's vitest project: resolve workspace packages to their sources. */
export const sharedProject = defineProject({
  ssr: { resolve: { conditions: ["@lab/source"] } },
  resolve: { conditions: ["@lab/source"] },
  test: {
    include: ["test/**/*.test.ts"],
    // CI runs every package's suite at once on 2 cores; CPU-bound property tests that take 1 s
    // alone can take several times that there. Scenario tests bound themselves in virtual time.
    testTimeout: 30_000,
  },
});
