import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ArtifactWriter } from "../testing/artifacts.js";

/** An {@link ArtifactWriter} that writes files into `directory` (created when first needed). */
export function directoryArtifactWriter(directory: string | URL): ArtifactWriter {
  const dir = typeof directory === "string" ? directory : fileURLToPath(directory);
  return {
    write(name, contents) {
      mkdirSync(dir, { recursive: true });
      const path = join(dir, name);
      writeFileSync(path, contents);
      return path;
    },
  };
}
