import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { DiskStorage } from "../../src/disk/index.js";
import { command, snapshotData, TERM } from "./fixtures/wal-writer-data.js";
import { TmpDirs } from "./tmp-dirs.js";

const dirs = new TmpDirs();
afterAll(() => dirs.cleanup());

const packageDir = fileURLToPath(new URL("../../", import.meta.url));
const writer = fileURLToPath(new URL("./fixtures/wal-writer.ts", import.meta.url));

interface Run {
  readonly acked: number[];
  readonly snapped: number[];
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/** Starts the writer on `dir`, kills it with SIGKILL once it acknowledged `acks` entries. */
function runAndKill(dir: string, io: "async" | "sync", acks: number): Promise<Run> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=@lab/source", writer, dir, io],
    { cwd: packageDir, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  let stderr = "";
  let seen = 0;
  let killed = false;
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
    for (const c of chunk) if (c === "\n") seen++;
    if (!killed && seen >= acks) {
      killed = true;
      child.kill("SIGKILL");
    }
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    // "exit" after the process is reaped: its lock is stale once this fires.
    child.on("exit", (_code, signal) => {
      // Only complete lines: the kill can cut the last one.
      const lines = out.slice(0, out.lastIndexOf("\n") + 1).split("\n");
      const acked: number[] = [];
      const snapped: number[] = [];
      for (const line of lines) {
        const [kind, n] = line.split(" ");
        if (kind === "ack") acked.push(Number(n));
        if (kind === "snap") snapped.push(Number(n));
      }
      resolve({ acked, snapped, signal, stderr });
    });
  });
}

describe("DiskStorage survives kill -9", () => {
  it("every entry acknowledged before SIGKILL is there after recovery, with its bytes", async () => {
    const dir = join(dirs.make(), "wal");
    let acked = 0;
    // Kills at different points, alternating async and sync I/O, on the same directory.
    const rounds: ["async" | "sync", number][] = [
      ["async", 300],
      ["sync", 900],
      ["async", 1700],
      ["sync", 2300],
    ];
    for (const [round, [io, acks]] of rounds.entries()) {
      const run = await runAndKill(dir, io, acks);
      expect(run.signal, run.stderr).toBe("SIGKILL");
      expect(run.acked.length, run.stderr).toBeGreaterThan(0);
      acked += run.acked.length;
      const storage = await DiskStorage.open(dir);
      const state = storage.initialState();
      await storage.close();
      const snapIndex = state.snapshot?.meta.index ?? 0;
      const last = snapIndex + state.entries.length;
      if (state.snapshot !== undefined) {
        expect(state.snapshot.data).toEqual(snapshotData(snapIndex));
        expect(state.hardState.commit).toBe(snapIndex);
      }
      for (const s of run.snapped) expect(snapIndex, `round ${round}`).toBeGreaterThanOrEqual(s);
      state.entries.forEach((e, i) => {
        expect(e.index).toBe(snapIndex + 1 + i);
        expect(e.term).toBe(TERM);
        expect(e.command).toEqual(command(e.index));
      });
      for (const a of run.acked) {
        expect(
          a,
          `round ${round}: acknowledged ${a}, recovered log ends at ${last}`,
        ).toBeLessThanOrEqual(last);
      }
    }
    expect(acked).toBeGreaterThan(3000);
  }, 120_000);
});
