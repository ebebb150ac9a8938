import type { Random } from "@lab/labrpc";

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/**
 * A string of `length` random ASCII characters (one byte each once encoded), so a scenario
 * knows exactly how many payload bytes it asked Raft to replicate.
 */
export function randomString(random: Random, length: number): string {
  let s = "";
  for (let i = 0; i < length; i++) s += alphabet[random.int(alphabet.length)];
  return s;
}

/** A random command value, as the course's `rand.Int()` commands (here 32 bits). */
export function randomCommand(random: Random): number {
  return random.nextU32();
}
