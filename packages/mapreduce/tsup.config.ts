import { defineConfig } from "tsup";

export default defineConfig({
  // The CLIs are entries of their own: `run` and the course script start worker processes from
  // the cli file that sits beside the bundle (see src/cli-command.ts).
  entry: {
    index: "src/index.ts",
    "testing/index": "src/testing/index.ts",
    cli: "src/cli.ts",
    stress: "src/stress.ts",
  },
  format: ["esm", "cjs"],
  dts: { entry: { index: "src/index.ts", "testing/index": "src/testing/index.ts" } },
  sourcemap: true,
  clean: true,
  // import.meta.url in the CommonJS build, to find the cli file.
  shims: true,
  target: "node20",
});
