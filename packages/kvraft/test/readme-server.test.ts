// The README's @lab/kvraft/server example, run as it says: three server processes on free ports
// of 127.0.0.1 and a client process, whose output must be the README's.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { freePorts, sleep } from "./fixtures/kv-server-process.js";

const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");
const root = fileURLToPath(new URL("../", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "lab-kvraft-readme-server-"));
const children: ChildProcess[] = [];
const node = ["--import", "tsx", "--conditions=@lab/source"];

afterAll(async () => {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGKILL");
        }),
    ),
  );
  rmSync(tmp, { recursive: true, force: true, maxRetries: 5 });
}, 30_000);

describe("README: the @lab/kvraft/server example", () => {
  const readme = read("../README.md");
  const block = (file: string) => `\`\`\`ts\n${read(`../${file}`)}\`\`\``;

  it("is examples/kvraft-server.ts and examples/kvraft-client.ts, verbatim", () => {
    expect(readme).toContain(block("examples/kvraft-server.ts"));
    expect(readme).toContain(block("examples/kvraft-client.ts"));
  });

  it("runs as three server processes and a client that prints what the README says", {
    timeout: 120_000,
  }, async () => {
    const addresses = (await freePorts(3)).map((port) => `127.0.0.1:${port}`).join(",");
    const outputs = ["", "", ""];
    const exits = [0, 1, 2].map((id) => {
      const child = spawn(
        process.execPath,
        [...node, "examples/kvraft-server.ts", String(id), addresses, join(tmp, `kvraft-${id}`)],
        { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
      );
      children.push(child);
      child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
        outputs[id] += chunk;
      });
      child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
        outputs[id] += chunk;
      });
      return new Promise<number | null>((resolve) => child.once("exit", resolve));
    });
    const deadline = Date.now() + 60_000;
    while (!outputs.every((out) => out.includes("entries on disk")) && Date.now() < deadline) {
      await sleep(50);
    }
    expect(outputs.join("\n")).toMatch(/server 0 on 127\.0\.0\.1:\d+, 0 entries on disk/);

    const { stdout } = await promisify(execFile)(
      process.execPath,
      [...node, "examples/kvraft-client.ts", addresses],
      { cwd: root, encoding: "utf8", timeout: 60_000 },
    );
    const after = readme.slice(
      readme.indexOf(block("examples/kvraft-client.ts")) +
        block("examples/kvraft-client.ts").length,
    );
    const printed = /```text\n([\s\S]*?)```/.exec(after)?.[1];
    expect(printed).toBeDefined();
    expect(stdout).toBe(printed);

    // SIGTERM: each closes its server and exits 0.
    for (const child of children) child.kill("SIGTERM");
    expect(await Promise.all(exits)).toEqual([0, 0, 0]);
  });
});
