import type { CliIo } from "../cli-io.js";
import { EXIT, UsageError } from "../exit-codes.js";
import { loadPeerFactory } from "./load-peer-factory.js";
import { loadRegistry, registryUrl } from "./load-registry.js";
import { runReplay } from "./replay.js";
import { runStress } from "./run-stress.js";
import { scenarioList, selectScenarios } from "./select-scenarios.js";
import { parseStressArgs } from "./stress-args.js";
import { STRESS_USAGE } from "./usage.js";

/** What the stress CLI runs with: its streams, its worker module, and a stop signal. */
export interface StressCliEnvironment {
  readonly io: CliIo;
  /** The stress worker module: `stress-worker.js` beside the built CLI, or its `.ts` source. */
  readonly workerUrl: URL;
  /** Aborted on Ctrl-C: workers are terminated and the partial summary printed. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs the stress command line with `argv` (without node and script paths) and returns its exit
 * code. Usage errors are reported on stderr with exit code 3; it throws only for internal bugs.
 */
export async function runStressCli(
  argv: readonly string[],
  env: StressCliEnvironment,
): Promise<number> {
  const { io } = env;
  try {
    const command = parseStressArgs(argv);
    if (command.kind === "help") {
      io.stdout(STRESS_USAGE);
      return EXIT.ok;
    }
    const registry = registryUrl(command.registry, io.cwd);
    const scenarios = await loadRegistry(registry);
    // Loaded here too, so a bad --raft module is a usage error before any worker starts.
    const raft = registryUrl(command.raft, io.cwd);
    const peerFactory = await loadPeerFactory(raft);
    const selected = selectScenarios(scenarios, command);
    if (command.kind === "stress") {
      return await runStress(command, selected, {
        io,
        workerUrl: env.workerUrl,
        registry,
        raft,
        syncDelayMs: command.syncDelayMs,
        signal: env.signal,
      });
    }
    const [only, ...others] = selected;
    if (only === undefined || others.length > 0) {
      throw new UsageError(
        `--seed replays exactly one scenario, and ${selected.length} are selected: name it with --scenario\n${scenarioList(scenarios)}`,
      );
    }
    return await runReplay(command, only, io, env.signal, peerFactory);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`raft-stress: ${error.message}\nRun with --help for usage.\n`);
    return EXIT.usage;
  }
}
