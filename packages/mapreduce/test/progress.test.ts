import { describe, expect, it } from "vitest";
import { type CoordinatorEvent, createProgressReporter, type JobProgress } from "../src/index.js";

const progress = (mapsDone: number, reducesDone: number, reissues = 0): JobProgress => ({
  nMap: 8,
  nReduce: 10,
  mapsDone,
  reducesDone,
  reissues,
  phase: mapsDone < 8 ? "map" : reducesDone < 10 ? "reduce" : "done",
});

const events: CoordinatorEvent[] = [
  {
    type: "assigned",
    kind: "map",
    taskId: 0,
    attempt: 1,
    reissued: false,
    worker: "w1",
    progress: progress(0, 0),
  },
  {
    type: "reported",
    kind: "map",
    taskId: 0,
    attempt: 1,
    worker: "w1",
    outcome: "completed",
    error: "",
    progress: progress(1, 0),
  },
  {
    type: "assigned",
    kind: "map",
    taskId: 3,
    attempt: 2,
    reissued: true,
    worker: "w2",
    progress: progress(1, 0, 1),
  },
  {
    type: "reported",
    kind: "map",
    taskId: 3,
    attempt: 1,
    worker: "w1",
    outcome: "duplicate",
    error: "",
    progress: progress(8, 0, 1),
  },
  { type: "done", elapsedMs: 4321, progress: progress(8, 10, 1) },
];

function render(isTTY: boolean): string {
  let out = "";
  const reporter = createProgressReporter({
    isTTY,
    write: (t) => {
      out += t;
    },
  });
  for (const event of events) reporter.onEvent(event);
  reporter.finish();
  return out;
}

describe("progress display", () => {
  it("prints plain lines when not on a terminal", () => {
    expect(render(false)).toBe(
      [
        "map 0 done by w1 (maps 1/8, reduces 0/10)",
        "map 3 timed out; handed out again to w2 (attempt 2)",
        "job done in 4.3 s (maps 8/8, reduces 10/10, 1 re-issued)",
        "",
      ].join("\n"),
    );
  });

  it("redraws one status line on a terminal, with events above it", () => {
    const out = render(true);
    const clear = "\r\x1b[2K";
    expect(out.startsWith(`${clear}maps 0/8, reduces 0/10`)).toBe(true);
    expect(out).toContain(
      `${clear}map 0 done by w1 (maps 1/8, reduces 0/10)\nmaps 0/8, reduces 0/10`,
    );
    expect(out.endsWith(`${clear}maps 8/8, reduces 10/10, 1 re-issued\n`)).toBe(true);
    // What a terminal finally shows: the event lines, then the last status.
    const screen = out.split("\n").map((line) => line.split(clear).at(-1));
    expect(screen).toEqual([
      "map 0 done by w1 (maps 1/8, reduces 0/10)",
      "map 3 timed out; handed out again to w2 (attempt 2)",
      "job done in 4.3 s (maps 8/8, reduces 10/10, 1 re-issued)",
      "maps 8/8, reduces 10/10, 1 re-issued",
      "",
    ]);
  });
});
