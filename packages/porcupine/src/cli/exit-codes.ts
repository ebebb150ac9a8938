/** Exit codes of the `porcupine` CLI. */
export const EXIT = {
  /** Every file is linearizable. */
  ok: 0,
  /** Some file is not linearizable. */
  illegal: 1,
  /** Some file could not be decided (timeout, memory cap) and none is illegal. */
  unknown: 2,
  /** Bad input or usage. */
  badInput: 3,
} as const;

/** The exit code of a whole run from the outcome of each file. */
export function exitCodeFor(outcomes: readonly ("ok" | "illegal" | "unknown" | "error")[]): number {
  if (outcomes.includes("error")) return EXIT.badInput;
  if (outcomes.includes("illegal")) return EXIT.illegal;
  if (outcomes.includes("unknown")) return EXIT.unknown;
  return EXIT.ok;
}
