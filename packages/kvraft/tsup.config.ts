import { defineConfig } from "tsup";

export default defineConfig({
  // The stress command is an entry of its own (the package's `kvsrv-stress` bin).
  entry: {
    index: "src/index.ts",
    "kvsrv/index": "src/kvsrv/index.ts",
    "testing/index": "src/testing/index.ts",
    "node/kvsrv-stress": "src/node/kvsrv-stress.ts",
  },
  format: ["esm", "cjs"],
  dts: {
    entry: {
      index: "src/index.ts",
      "kvsrv/index": "src/kvsrv/index.ts",
      "testing/index": "src/testing/index.ts",
    },
  },
  sourcemap: true,
  clean: true,
  target: "node20",
});
