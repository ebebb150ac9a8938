import { defineConfig } from "tsup";

export default defineConfig({
  // The CLI and the check worker are entries of their own: the worker must exist as a file beside
  // the bundle that starts it (see src/parallel/start-worker.ts).
  entry: {
    index: "src/index.ts",
    cli: "src/cli.ts",
    "check-worker": "src/parallel/check-worker.ts",
  },
  format: ["esm", "cjs"],
  dts: { entry: { index: "src/index.ts" } },
  sourcemap: true,
  clean: true,
  // import.meta.url in the CommonJS build, to find the worker file.
  shims: true,
  target: "node20",
});
