import { defineConfig } from "tsup";

export default defineConfig({
  // The CLIs are entries of their own, and so is the stress worker: it must exist as a file
  // beside the CLI that starts it (see src/cli/stress.ts).
  entry: {
    index: "src/index.ts",
    "testing/index": "src/testing/index.ts",
    "disk/index": "src/disk/index.ts",
    "server/index": "src/server/index.ts",
    "cli/stress": "src/cli/stress.ts",
    "cli/stress-worker": "src/cli/stress-worker.ts",
    "cli/trace": "src/cli/trace.ts",
  },
  format: ["esm", "cjs"],
  dts: {
    entry: {
      index: "src/index.ts",
      "testing/index": "src/testing/index.ts",
      "disk/index": "src/disk/index.ts",
      "server/index": "src/server/index.ts",
    },
  },
  sourcemap: true,
  clean: true,
  // import.meta.url in the CommonJS build of the CLIs, to find the worker file.
  shims: true,
  target: "node20",
});
