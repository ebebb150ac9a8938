import type { Random } from "@lab/labrpc";

/**
 * A random 53-bit clerk id (a safe integer). Clerks pick their ids independently, with no
 * coordination, so ids must be wide: among 100,000 clerks, 53 bits make a collision about a
 * one-in-two-million event, where 31 bits would make one likely.
 */
export function randomClientId(random: Random): number {
  const high = random.int(2 ** 21);
  const low = random.nextU32();
  return high * 2 ** 32 + low;
}
