import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { freePorts, sleep } from "./fixtures/peer-process.js";

const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");
const root = fileURLToPath(new URL("../", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "lab-raft-readme-server-"));
const children: ChildProcess[] = [];

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

describe("README: the @lab/raft/server example", () => {
  it("is examples/raft-server.ts, verbatim", () => {
    expect(read("../README.md")).toContain(`\`\`\`ts\n${read("../examples/raft-server.ts")}\`\`\``);
  });

  it("runs as three processes that elect a leader and replicate a line", {
    timeout: 90_000,
  }, async () => {
    const addresses = (await freePorts(3)).map((port) => `127.0.0.1:${port}`).join(",");
    const outputs = ["", "", ""];
    const exits = [0, 1, 2].map((id) => {
      const child = spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          "--conditions=@lab/source",
          "examples/raft-server.ts",
          String(id),
          addresses,
          join(tmp, `raft-${id}`),
        ],
        { cwd: root, stdio: ["pipe", "pipe", "pipe"] },
      );
      children.push(child);
      child.stdin?.on("error", () => {});
      child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
        outputs[id] += chunk;
      });
      child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
        outputs[id] += chunk;
      });
      return new Promise<number | null>((resolve) => child.once("exit", resolve));
    });
    const deadline = Date.now() + 60_000;
    const all = (text: string) => outputs.every((out) => out.includes(text));
    while (!all("entries on disk") && Date.now() < deadline) await sleep(50);
    expect(outputs.join("\n")).toMatch(/peer 0 serving on 127\.0\.0\.1:\d+, 0 entries on disk/);
    // Offer the line to every peer (only the leader proposes it) until all three applied it.
    while (!all("applied 1: x=1") && Date.now() < deadline) {
      for (const child of children) child.stdin?.write("x=1\n");
      await sleep(1000);
    }
    expect(outputs.join("\n")).toMatch(/proposed at index \d+ in term \d+/);
    expect(
      outputs.filter((out) => out.includes("applied 1: x=1")),
      outputs.join("\n"),
    ).toHaveLength(3);
    // End of stdin: each closes its server and exits.
    for (const child of children) child.stdin?.end();
    expect(await Promise.all(exits)).toEqual([0, 0, 0]);
  });
});
