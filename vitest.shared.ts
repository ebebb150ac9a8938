import { defineProject } from "vitest/config";

/** Base settings for every package's vitest project: resolve workspace packages to their sources. */
export const sharedProject = defineProject({
  ssr: { resolve: { conditions: ["@lab/source"] } },
  resolve: { conditions: ["@lab/source"] },
  test: {
    include: ["test/**/*.test.ts"],
  },
});
