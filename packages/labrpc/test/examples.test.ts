import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

describe("README example", () => {
  it("runs and prints a reply or a reason, with the virtual time and counts", () => {
    const out = execFileSync(
      process.execPath,
      ["--import", "tsx", "--conditions=@lab/source", "examples/simulated-kv.ts"],
      { cwd: packageDir, encoding: "utf8" },
    );
    expect(out).toMatch(/^(x = 1|no reply: (dropped|unreachable|timeout))$/m);
    expect(out).toMatch(/^t=\d+ ms, 1 calls, \d+ bytes$/m);
  });
});
