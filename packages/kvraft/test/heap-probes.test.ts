import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL("../", import.meta.url));
const MiB = 1 << 20;

interface ProbeReading {
  readonly heldGrowth: number;
  readonly afterGrowth: number;
}

describe.each(["memory-usage", "snapshot"])("the %s heap probe", (probe) => {
  it("sees a retained 8 MiB buffer and a retained 8 MiB string, and their release", async () => {
    const { stdout } = await run(
      process.execPath,
      ["--import", "tsx", "--conditions=@lab/source", "test/memory/probe-child.ts", probe],
      { cwd: packageDir, encoding: "utf8", timeout: 120_000 },
    );
    const reading = JSON.parse(stdout.trim()) as ProbeReading;
    expect(reading.heldGrowth).toBeGreaterThan(15.5 * MiB);
    expect(reading.heldGrowth).toBeLessThan(17 * MiB);
    expect(Math.abs(reading.afterGrowth)).toBeLessThan(1 * MiB);
  }, 120_000);
});
