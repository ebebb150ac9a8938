import { mergeConfig } from "vitest/config";
import { sharedProject } from "../../vitest.shared.js";

export default mergeConfig(sharedProject, {
  test: { name: "mapreduce", globalSetup: ["test/support/global-setup.ts"] },
});
