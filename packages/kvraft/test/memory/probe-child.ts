/**
 * Measures with one heap probe, in a process of its own (the test runner's heap holds whatever
 * its other tests left), and prints one JSON line: the growth while an 8 MiB buffer and an 8 MiB
 * string are held, and after they are released, against a first measurement.
 *
 * The argument names the probe: `memory-usage` or `snapshot`. The process is started without
 * --expose-gc, so the memory-usage probe turns the flag on itself.
 */
import { nodeHeapProbe, nodeMemoryUsageProbe } from "../../src/testing/index.js";

const MiB = 1 << 20;
const name = process.argv[2];
if (name !== "memory-usage" && name !== "snapshot") {
  throw new Error(`unknown heap probe ${JSON.stringify(name)}: memory-usage or snapshot`);
}
const probe = name === "snapshot" ? nodeHeapProbe() : nodeMemoryUsageProbe();
/** The values to hold: made in a function of their own, so no register of this module's frame refers to them. */
function allocate(): { bytes: Uint8Array; text: string } {
  return {
    bytes: new Uint8Array(8 * MiB).fill(1),
    // A flat one-byte string of 8 MiB (repeat builds a rope; slicing flattens it).
    text: `${"x".repeat(8 * MiB)}!`.slice(0, 8 * MiB),
  };
}

// Top-level code is one suspended async frame across the awaits: a temporary it used (such as
// `kept.text` while reading its length) can stay in one of its registers and keep the string
// alive through the next measurement. Only small helpers touch the held values.
const sizeOf = (held: { bytes: Uint8Array; text: string }) => held.bytes.length + held.text.length;

const before = await probe.measure();
let kept: { bytes: Uint8Array; text: string } | undefined = allocate();
const held = await probe.measure();
// Read once, as a test of the probe would, to show that touching them is safe this way.
if (sizeOf(kept) !== 16 * MiB) throw new Error("the held values are not 16 MiB");
kept = undefined;
const after = await probe.measure();
process.stdout.write(
  `${JSON.stringify({ probe: name, heldGrowth: held - before, afterGrowth: after - before })}\n`,
);
