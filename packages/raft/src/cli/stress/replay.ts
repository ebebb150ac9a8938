import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { MemoryTracer } from "@lab/labrpc";
import type { RaftPeerFactory } from "../../testing/raft-peer.js";
import { runScenario, type ScenarioRunResult } from "../../testing/scenarios/run-scenario.js";
import type { RaftScenario } from "../../testing/scenarios/types.js";
import type { CliIo } from "../cli-io.js";
import { EXIT } from "../exit-codes.js";
import type { ReplayCommand } from "./stress-args.js";

/**
 * Replays one scenario with one seed in this process, prints its result and, with `--trace`,
 * writes its trace as JSON lines. Returns the exit code (0 passed, 1 failed, 130 interrupted).
 */
export async function runReplay(
  command: ReplayCommand,
  scenario: RaftScenario,
  io: CliIo,
  signal?: AbortSignal,
  peerFactory?: RaftPeerFactory,
): Promise<number> {
  const tracer = command.trace === undefined ? undefined : new MemoryTracer();
  const started = performance.now();
  const run = runScenario(scenario, {
    seed: command.seed,
    ...(tracer ? { tracer } : {}),
    ...(command.syncDelayMs !== undefined ? { syncDelayMs: command.syncDelayMs } : {}),
    ...(peerFactory ? { peerFactory } : {}),
  });
  const result = await untilAborted(run, signal);
  if (result === "aborted") {
    io.stderr("raft-stress: interrupted\n");
    return EXIT.interrupted;
  }
  const wallMs = performance.now() - started;
  io.stdout(`${replayLine(result, wallMs)}\n`);
  if (tracer !== undefined && command.trace !== undefined) {
    const path = resolve(io.cwd, command.trace);
    await writeFile(path, tracer.toJsonLines(), "utf8");
    io.stdout(`trace: ${tracer.lines.length} events written to ${path}\n`);
  }
  return result.ok ? EXIT.ok : EXIT.failed;
}

/** `PASS|FAIL <scenario> seed <S>: <virtual time, rpcs, bytes>`, then the failure if any. */
export function replayLine(result: ScenarioRunResult, wallMs: number): string {
  const figures =
    `${result.virtualMs} ms virtual (${(wallMs / 1000).toFixed(2)} s wall), ` +
    `${result.rpcs} RPCs, ${result.bytes} bytes`;
  const head = `${result.ok ? "PASS" : "FAIL"} ${result.scenario} seed ${result.seed}: ${figures}`;
  return result.failure ? `${head}\n  ${result.failure.message}` : head;
}

function untilAborted<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T | "aborted"> {
  if (signal === undefined) return work;
  if (signal.aborted) return Promise.resolve("aborted");
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve("aborted");
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
