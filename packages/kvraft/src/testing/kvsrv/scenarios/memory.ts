import { codecs } from "@lab/labgob";
import type { Random } from "@lab/labrpc";
import type { HeapProbe } from "../../heap-probe.js";
import { HeapProbeUnavailableError } from "../../heap-probe.js";
import type { TestClerk } from "../../test-clerk.js";
import type { KvsrvHarness } from "../kvsrv-harness.js";
import type { ScenarioContext } from "./types.js";

/** One mebibyte. */
export const MiB = 1 << 20;

const LETTERS = 26;
const A = 0x61;
const ascii = new TextDecoder();

/**
 * `length` random lowercase letters, as a flat one-byte string (decoded from bytes, so it is not
 * a rope that would cost less than its length until flattened).
 */
export function randomText(random: Random, length: number): string {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i += 4) {
    let word = random.nextU32();
    for (let k = i; k < i + 4 && k < length; k++) {
      bytes[k] = A + ((word & 0xff) % LETTERS);
      word >>>= 8;
    }
  }
  return ascii.decode(bytes);
}

/** The probe of a memory scenario, or an error saying how to get one. */
export function requireHeap(context: ScenarioContext): HeapProbe {
  if (context.heap === undefined) {
    throw new HeapProbeUnavailableError(
      "memory scenario run without a heap probe: pass one (nodeMemoryUsageProbe() or nodeHeapProbe() on Node)",
    );
  }
  return context.heap;
}

/**
 * Measures the heap. Call it between two `harness.run` calls, never inside one: a suspended async
 * frame of the running simulator can still hold a reference to an event that ran long ago (V8
 * keeps a suspended function's whole register file, stale registers included), and through it
 * the reply that event delivered, which would be counted as if someone kept it.
 *
 * labgob keeps its encoding buffer for the next message when the last one fitted in 1 MiB, and
 * starts afresh after a larger one; so the buffer is anywhere from a few KB to 1 MiB depending on
 * the last message sent, which would add up to ±1 MiB of noise that is no one's state. Encoding
 * one message over 1 MiB right before measuring puts it in the same small state every time.
 */
export function measureHeap(heap: HeapProbe): Promise<number> {
  resetEncodeBuffer();
  return heap.measure();
}

const OVER_ENCODE_BUFFER_LIMIT = 2 * MiB;

function resetEncodeBuffer(): void {
  codecs.string.encode("x".repeat(OVER_ENCODE_BUFFER_LIMIT));
}

/**
 * Puts `length` random letters under `key` through `clerk`. The value lives only in this call,
 * so once it returns only the server can be holding it.
 */
export async function putRandom(
  clerk: TestClerk,
  key: string,
  random: Random,
  length: number,
): Promise<void> {
  await clerk.put(key, randomText(random, length));
}

/** Appends `length` random letters to `key` through `clerk`; resolves to the old value's length. */
export async function appendRandom(
  clerk: TestClerk,
  key: string,
  random: Random,
  length: number,
): Promise<number> {
  return (await clerk.append(key, randomText(random, length))).length;
}

const WARM_UP_KEY = "warm-up";
const WARM_UP_BIG = 1_000_000;
const WARM_UP_APPENDS = 300;
const WARM_UP_APPEND_BYTES = 1000;

/**
 * Runs every kind of request before a memory scenario's first measurement: a large put and get,
 * and enough appends for the runtime to optimise the request path. A process's first requests
 * compile code (bytecode and optimised code live in the measured heap), which is a one-time cost
 * of the process, not state the server keeps; on a 1 MB budget it would be a large part of the
 * figure. The warm-up ends by emptying its key, so it leaves only its clerk's sequence number on
 * the server, before the baseline is taken.
 */
export async function warmUp(h: KvsrvHarness, random: Random): Promise<void> {
  const clerk = h.makeClerk({ record: false });
  await putRandom(clerk, WARM_UP_KEY, random, WARM_UP_BIG);
  await getLength(clerk, WARM_UP_KEY);
  await clerk.put(WARM_UP_KEY, "");
  for (let i = 0; i < WARM_UP_APPENDS; i++) {
    await appendRandom(clerk, WARM_UP_KEY, random, WARM_UP_APPEND_BYTES);
  }
  await getLength(clerk, WARM_UP_KEY);
  await clerk.put(WARM_UP_KEY, "");
  h.deleteClerk(clerk);
}

/** Reads `key` through `clerk`; resolves to the value's length (the value itself is dropped). */
export async function getLength(clerk: TestClerk, key: string): Promise<number> {
  return (await clerk.get(key)).length;
}

/**
 * What the course's heap holds before a test stores anything: its runtime, network, server and
 * clerks, a few hundred KiB (a conservative 256 KiB here).
 *
 * MemGet, MemPut, MemAppend and MemManyAppends limit the course's whole live heap (Go's
 * `HeapAlloc` after a collection), and that heap starts with this floor; the many-clients tests
 * limit a difference of two measurements instead. We measure growth over a warmed baseline,
 * which leaves out Node's own heap (modules, compiled code), so for the whole-heap limits the
 * floor is added back to the growth before comparing. Without it, a server that keeps exactly
 * one copy of a 10 MiB value would sit exactly at a 10 MiB limit, where the course fails it.
 */
export const COURSE_HEAP_FLOOR = 256 * 1024;

/**
 * Records a whole-heap figure (`heapGrowthBytes`, `chargedBytes` = growth + the course's heap
 * floor, `limitBytes`) and returns the charged bytes, the figure to compare with `limit`.
 */
export function chargeHeap(context: ScenarioContext, growth: number, limit: number): number {
  const charged = growth + COURSE_HEAP_FLOOR;
  context.figure("heapGrowthBytes", growth);
  context.figure("chargedBytes", charged);
  context.figure("limitBytes", limit);
  return charged;
}

/** Describes a charged figure for a failure message. */
export function describeCharge(growth: number, limit: string): string {
  return `memory grew by ${mib(growth)}, ${mib(growth + COURSE_HEAP_FLOOR)} with the course's ${mib(COURSE_HEAP_FLOOR)} heap floor (limit: ${limit})`;
}

/** Formats bytes as MiB with two decimals, for failure messages. */
export function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(2)} MiB`;
}
