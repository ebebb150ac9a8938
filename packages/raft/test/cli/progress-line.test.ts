import { describe, expect, it } from "vitest";
import { ProgressLine } from "../../src/cli/stress/progress-line.js";

/** Erase to the end of the line, escaped for a RegExp. */
const ERASE = "\x1b\\[K";

function fakeTerminal(columns: number) {
  const writes: string[] = [];
  return { columns, write: (text: string) => writes.push(text), writes };
}

describe("the stress progress line", () => {
  it("redraws one line in place, at most every 100 ms", () => {
    const terminal = fakeTerminal(80);
    let now = 1000;
    const progress = new ProgressLine(terminal, 40, () => now);
    progress.update(0, 0);
    now += 99;
    progress.update(1, 0); // within 100 ms of the first draw: skipped
    expect(terminal.writes).toEqual(["\r0/40 runs, 0 failed, 0.0 s\x1b[K"]);
    now += 1;
    progress.update(10, 2);
    // 10 runs in 0.1 s: 30 more take 0.3 s, rounded up.
    expect(terminal.writes[1]).toBe("\r10/40 runs, 2 failed, 0.1 s, ~1 s left\x1b[K");
  });

  it("erases itself before other output, and draws again at the next update", () => {
    const terminal = fakeTerminal(80);
    const progress = new ProgressLine(terminal, 40);
    progress.update(3, 1);
    progress.clear();
    progress.update(4, 1);
    expect(terminal.writes[1]).toBe("\r\x1b[K");
    expect(terminal.writes[2]).toMatch(
      new RegExp(`^\r4/40 runs, 1 failed, \\d+\\.\\d s, ~\\d+ s left${ERASE}$`),
    );
    progress.clear();
    progress.clear(); // nothing shown: nothing to erase
    expect(terminal.writes).toHaveLength(4);
  });

  it("fits the terminal's width", () => {
    const terminal = fakeTerminal(12);
    new ProgressLine(terminal, 1000).update(10, 2);
    expect(terminal.writes[0]).toBe("\r10/1000 run\x1b[K");
  });

  it("prints nothing without a terminal", () => {
    const progress = new ProgressLine(undefined, 10);
    expect(() => {
      progress.update(1, 0);
      progress.clear();
    }).not.toThrow();
  });
});
