import { describe, expect, it } from "vitest";
import { nodeMemoryUsageProbe } from "../src/testing/index.js";

const MiB = 1 << 20;

describe("nodeMemoryUsageProbe", () => {
  // The test runner is not started with --expose-gc, so this also covers the probe turning the
  // flag on by itself.
  it("sees a retained 8 MiB buffer and a retained 8 MiB string, and their release", async () => {
    const probe = nodeMemoryUsageProbe();
    const before = await probe.measure();
    let kept: { bytes: Uint8Array; text: string } | undefined = {
      bytes: new Uint8Array(8 * MiB).fill(1),
      // A flat one-byte string of 8 MiB (repeat builds a rope; slicing flattens it).
      text: `${"x".repeat(8 * MiB)}!`.slice(0, 8 * MiB),
    };
    const held = await probe.measure();
    expect(kept.bytes.length + kept.text.length).toBe(16 * MiB);
    kept = undefined;
    const after = await probe.measure();
    expect(held - before).toBeGreaterThan(15.5 * MiB);
    expect(held - before).toBeLessThan(17 * MiB);
    expect(Math.abs(after - before)).toBeLessThan(1 * MiB);
    expect(kept).toBeUndefined();
  });
});
