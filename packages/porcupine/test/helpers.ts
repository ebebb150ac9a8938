import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Operation } from "../src/index.js";

/**
 * The shared data directory: `$LAB_SHARED_DIR/data/porcupine/` when set, else
 * `../shared/data/porcupine/` beside the repository (CI clones the repo with shared/ beside it).
 */
export function dataDir(): string {
  const override = process.env.LAB_SHARED_DIR;
  const url = override
    ? new URL("data/porcupine/", `file://${override.endsWith("/") ? override : `${override}/`}`)
    : new URL("../../../../shared/data/porcupine/", import.meta.url);
  const dir = fileURLToPath(url);
  if (!existsSync(dir))
    throw new Error(
      `porcupine test data not found at ${dir}; set LAB_SHARED_DIR to the shared/ directory`,
    );
  return dir;
}

/** An operation from client `client`, called at `call`, returning at `ret` (Infinity: never). */
export function op<I, O>(
  client: number,
  call: number,
  ret: number,
  input: I,
  output: O,
): Operation<I, O> {
  return { clientId: client, input, call, output, return: ret };
}
