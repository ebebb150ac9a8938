import { parseArgs } from "node:util";
import type { RaftLabPart } from "../../testing/scenarios/types.js";
import { UsageError } from "../exit-codes.js";
import { parseInteger, parseNumber } from "../numbers.js";

/** The parts of the lab, as `--part` accepts them. */
export const LAB_PARTS: readonly RaftLabPart[] = ["3A", "3B", "3C", "3D"];

/** Which scenarios a command runs: the named ones plus every one of the listed parts. */
export interface ScenarioSelection {
  readonly names: readonly string[];
  readonly parts: readonly RaftLabPart[];
  /** Module path (as typed) of a scenario registry to use instead of the built-in suite. */
  readonly registry: string | undefined;
  /** Module path (as typed) exporting `peerFactory`: run the scenarios against that Raft. */
  readonly raft: string | undefined;
  /**
   * Each persist becomes durable after 0 to this many virtual milliseconds (and is lost by a
   * crash before then): `--sync-delay`. Undefined: durable at once, as the course's Persister.
   */
  readonly syncDelayMs: number | undefined;
}

/** Run every selected scenario over a range of seeds in worker threads. */
export interface StressCommand extends ScenarioSelection {
  readonly kind: "stress";
  readonly seeds: number;
  readonly firstSeed: number;
  /** Worker threads; undefined means the machine's available parallelism. */
  readonly workers: number | undefined;
  readonly timeoutMs: number;
}

/** Run one scenario with one seed in this process, optionally writing its trace. */
export interface ReplayCommand extends ScenarioSelection {
  readonly kind: "replay";
  readonly seed: number;
  readonly trace: string | undefined;
}

export type StressCliCommand = StressCommand | ReplayCommand | { readonly kind: "help" };

export const DEFAULT_SEEDS = 100;
export const DEFAULT_TIMEOUT_SECONDS = 120;

/**
 * Parses the stress runner's arguments (without node and script paths). Throws
 * {@link UsageError} for unknown options, bad numbers and conflicting options; scenario names
 * are checked later, against the registry.
 */
export function parseStressArgs(argv: readonly string[]): StressCliCommand {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return { kind: "help" };

  const selection: ScenarioSelection = {
    names: values.scenario ?? [],
    parts: (values.part ?? []).map(parsePart),
    registry: values.registry,
    raft: values.raft,
    syncDelayMs:
      values["sync-delay"] === undefined
        ? undefined
        : parseInteger("--sync-delay", values["sync-delay"], 0),
  };
  if (values.seed !== undefined) {
    for (const option of ["seeds", "first-seed", "workers", "timeout"] as const) {
      if (values[option] !== undefined) {
        throw new UsageError(`--${option} is for stress runs; --seed replays a single run`);
      }
    }
    return {
      kind: "replay",
      ...selection,
      seed: parseInteger("--seed", values.seed, 0),
      trace: values.trace,
    };
  }
  if (values.trace !== undefined) {
    throw new UsageError("--trace needs --seed: only a single replayed run writes a trace");
  }
  return {
    kind: "stress",
    ...selection,
    seeds: values.seeds === undefined ? DEFAULT_SEEDS : parseInteger("--seeds", values.seeds, 1),
    firstSeed:
      values["first-seed"] === undefined
        ? 1
        : parseInteger("--first-seed", values["first-seed"], 0),
    workers:
      values.workers === undefined ? undefined : parseInteger("--workers", values.workers, 1),
    timeoutMs:
      1000 *
      (values.timeout === undefined
        ? DEFAULT_TIMEOUT_SECONDS
        : parseNumber("--timeout", values.timeout, 0.001)),
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      scenario: { type: "string", multiple: true },
      part: { type: "string", multiple: true },
      seeds: { type: "string" },
      "first-seed": { type: "string" },
      workers: { type: "string" },
      timeout: { type: "string" },
      seed: { type: "string" },
      trace: { type: "string" },
      registry: { type: "string" },
      raft: { type: "string" },
      "sync-delay": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

function parsePart(text: string): RaftLabPart {
  const part = LAB_PARTS.find((p) => p === text.toUpperCase());
  if (part === undefined) {
    throw new UsageError(`--part: expected one of ${LAB_PARTS.join(", ")}, got "${text}"`);
  }
  return part;
}
