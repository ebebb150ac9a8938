import { CodecError, field, message } from "@lab/labgob";
import { RaftUsageError } from "./errors.js";
import type { PeerId } from "./types.js";

/**
 * Who is in the cluster: the voters, whose majority elects leaders and commits entries, and the
 * learners, which receive the log but never vote, never count towards a commit and never
 * campaign. A peer is in at most one of the two lists; both are kept sorted.
 */
export interface Configuration {
  readonly voters: readonly PeerId[];
  readonly learners: readonly PeerId[];
}

/** The configuration of a peer that knows of no cluster yet (it waits to be added). */
export const EMPTY_CONFIGURATION: Configuration = Object.freeze({
  voters: Object.freeze([]),
  learners: Object.freeze([]),
});

/** A configuration with `voters` and `learners` (copied and sorted); validated. */
export function configuration(
  voters: readonly PeerId[],
  learners: readonly PeerId[] = [],
): Configuration {
  const config = {
    voters: Object.freeze([...voters].sort(byId)),
    learners: Object.freeze([...learners].sort(byId)),
  };
  const problem = configurationProblem(config);
  if (problem !== undefined) throw new RaftUsageError(`invalid configuration: ${problem}`);
  return Object.freeze(config);
}

/** Every peer of `0..n-1` a voter: the configuration of a cluster started with `n` peers. */
export function allVoters(n: number): Configuration {
  return configuration(Array.from({ length: n }, (_, i) => i));
}

/** Why `config` is not a valid configuration, or `undefined` when it is. */
export function configurationProblem(config: Configuration): string | undefined {
  const seen = new Set<PeerId>();
  for (const id of [...config.voters, ...config.learners]) {
    if (!Number.isSafeInteger(id) || id < 0)
      return `peer id ${String(id)} is not a non-negative integer`;
    if (seen.has(id)) return `peer ${id} is listed twice`;
    seen.add(id);
  }
  return undefined;
}

export function isVoter(config: Configuration, id: PeerId): boolean {
  return config.voters.includes(id);
}

export function isLearner(config: Configuration, id: PeerId): boolean {
  return config.learners.includes(id);
}

export function isMember(config: Configuration, id: PeerId): boolean {
  return isVoter(config, id) || isLearner(config, id);
}

/** Every member, voters first. */
export function members(config: Configuration): PeerId[] {
  return [...config.voters, ...config.learners];
}

export function sameConfiguration(a: Configuration, b: Configuration): boolean {
  return sameIds(a.voters, b.voters) && sameIds(a.learners, b.learners);
}

/** `voters 0,1,2 learners 3`: for traces, errors and interaction scripts. */
export function formatConfiguration(config: Configuration): string {
  const learners = config.learners.length > 0 ? ` learners ${config.learners.join(",")}` : "";
  return `voters ${config.voters.join(",") || "-"}${learners}`;
}

const ConfigurationWire = message("Configuration", {
  voters: field.repeated(field.uint(), 1),
  learners: field.repeated(field.uint(), 2),
});

/** The bytes a config entry carries as its command. */
export function encodeConfiguration(config: Configuration): Uint8Array {
  return ConfigurationWire.encode({ voters: [...config.voters], learners: [...config.learners] });
}

/**
 * Decodes a config entry's command.
 *
 * @throws RaftUsageError when the bytes are not a valid configuration (a corrupt entry)
 */
export function decodeConfiguration(bytes: Uint8Array): Configuration {
  let raw: { voters: number[]; learners: number[] };
  try {
    raw = ConfigurationWire.decode(bytes);
  } catch (err) {
    if (err instanceof CodecError) {
      throw new RaftUsageError(`a config entry does not decode: ${err.message}`, { cause: err });
    }
    throw err;
  }
  return configuration(raw.voters, raw.learners);
}

function byId(a: PeerId, b: PeerId): number {
  return a - b;
}

function sameIds(a: readonly PeerId[], b: readonly PeerId[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
