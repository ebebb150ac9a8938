import type { Random } from "@lab/labrpc";

/**
 * A random command like the course's `rand.Int()`: a large non-negative integer (52 bits), so
 * commands in one run are distinct in practice and log entries have a realistic encoded size
 * (which matters for the 3D log-size limit).
 */
export function randomCommand(random: Random): number {
  return random.nextU32() * 0x10_0000 + random.int(0x10_0000);
}
