import { defineConfig } from "tsup";

export default defineConfig({
  // The stress commands are entries of their own (the package's `kvsrv-stress` and `kvraft-stress` bins).
  entry: {
    index: "src/index.ts",
    "kvsrv/index": "src/kvsrv/index.ts",
    "server/index": "src/server/index.ts",
    "testing/index": "src/testing/index.ts",
    "node/kvsrv-stress": "src/node/kvsrv-stress.ts",
    "node/kvraft-stress": "src/node/kvraft-stress.ts",
  },
  format: ["esm", "cjs"],
  dts: {
    entry: {
      index: "src/index.ts",
      "kvsrv/index": "src/kvsrv/index.ts",
      "server/index": "src/server/index.ts",
      "testing/index": "src/testing/index.ts",
    },
  },
  sourcemap: true,
  clean: true,
  target: "node20",
});
