import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";

const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");

describe("README example", () => {
  it("is examples/raft-messages.ts, verbatim", () => {
    const readme = read("../README.md");
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block?.trim()).toBe(read("../examples/raft-messages.ts").trim());
  });

  it("runs and prints what its comments say", async () => {
    const lines: unknown[][] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      lines.push(args);
    });
    try {
      await import("../examples/raft-messages.js");
    } finally {
      log.mockRestore();
    }
    expect(lines).toEqual([
      [22, 11],
      [{ op: "Put", key: "k", seq: 7n }],
      [-5],
      ["$.leaderID", 'AppendEntriesArgs has no field "leaderID"; it would be dropped on the wire'],
    ]);
  });
});
