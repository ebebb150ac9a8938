import { describe, expect, it } from "vitest";
import { MapReduceUsageError, TaskScheduler } from "../src/index.js";

const ok = { error: "" } as const;

describe("TaskScheduler", () => {
  it("hands out each map once, reduces only after every map, then exit", () => {
    const s = new TaskScheduler({ nMap: 2, nReduce: 2, taskTimeoutMs: 100 });
    expect(s.assign(0)).toEqual({ kind: "map", taskId: 0, attempt: 1, reissued: false });
    expect(s.assign(0)).toEqual({ kind: "map", taskId: 1, attempt: 1, reissued: false });
    expect(s.assign(1)).toEqual({ kind: "wait" });
    expect(s.report({ kind: "map", taskId: 1, attempt: 1, ...ok })).toBe("completed");
    // Map 0 is still running: a reduce must not start yet.
    expect(s.assign(2)).toEqual({ kind: "wait" });
    expect(s.progress).toMatchObject({ mapsDone: 1, phase: "map" });
    expect(s.report({ kind: "map", taskId: 0, attempt: 1, ...ok })).toBe("completed");
    expect(s.assign(3)).toMatchObject({ kind: "reduce", taskId: 0 });
    expect(s.assign(3)).toMatchObject({ kind: "reduce", taskId: 1 });
    expect(s.assign(3)).toEqual({ kind: "wait" });
    s.report({ kind: "reduce", taskId: 0, attempt: 1, ...ok });
    expect(s.done).toBe(false);
    s.report({ kind: "reduce", taskId: 1, attempt: 1, ...ok });
    expect(s.done).toBe(true);
    expect(s.assign(4)).toEqual({ kind: "exit" });
    expect(s.progress).toEqual({
      nMap: 2,
      nReduce: 2,
      mapsDone: 2,
      reducesDone: 2,
      reissues: 0,
      phase: "done",
    });
  });

  it("hands a task out again only once its timeout has passed", () => {
    const s = new TaskScheduler({ nMap: 1, nReduce: 1, taskTimeoutMs: 10_000 });
    expect(s.assign(1000)).toMatchObject({ taskId: 0, attempt: 1 });
    expect(s.assign(10_999)).toEqual({ kind: "wait" });
    expect(s.assign(11_000)).toEqual({ kind: "map", taskId: 0, attempt: 2, reissued: true });
    expect(s.assign(11_000)).toEqual({ kind: "wait" });
    expect(s.progress.reissues).toBe(1);
  });

  it("prefers idle tasks to expired ones, and the longest-expired first", () => {
    const s = new TaskScheduler({ nMap: 3, nReduce: 1, taskTimeoutMs: 10 });
    s.assign(0); // map 0, expires at 10
    s.assign(5); // map 1, expires at 15
    expect(s.assign(20)).toMatchObject({ taskId: 2, reissued: false });
    expect(s.assign(20)).toMatchObject({ taskId: 0, reissued: true });
    expect(s.assign(20)).toMatchObject({ taskId: 1, reissued: true });
  });

  it("completes a task with whichever execution reports first; the other is a duplicate", () => {
    const s = new TaskScheduler({ nMap: 1, nReduce: 1, taskTimeoutMs: 10 });
    s.assign(0);
    s.assign(10); // attempt 2
    expect(s.report({ kind: "map", taskId: 0, attempt: 1, ...ok })).toBe("completed");
    expect(s.report({ kind: "map", taskId: 0, attempt: 2, ...ok })).toBe("duplicate");
    expect(s.progress.mapsDone).toBe(1);
  });

  it("hands a failed task out again at once and aborts after maxTaskFailures", () => {
    const s = new TaskScheduler({ nMap: 1, nReduce: 1, taskTimeoutMs: 1e9, maxTaskFailures: 2 });
    s.assign(0);
    expect(s.report({ kind: "map", taskId: 0, attempt: 1, error: "boom" })).toBe("failed");
    expect(s.assign(1)).toEqual({ kind: "map", taskId: 0, attempt: 2, reissued: false });
    expect(s.report({ kind: "map", taskId: 0, attempt: 2, error: "boom again" })).toBe("aborted");
    expect(s.assign(2)).toEqual({
      kind: "abort",
      reason: "map task 0 failed 2 times; last error: boom again",
    });
    expect(s.progress.phase).toBe("aborted");
  });

  it("ignores the failure of an execution that a re-issue superseded", () => {
    const s = new TaskScheduler({ nMap: 1, nReduce: 1, taskTimeoutMs: 10 });
    s.assign(0);
    s.assign(10); // attempt 2 running
    expect(s.report({ kind: "map", taskId: 0, attempt: 1, error: "late" })).toBe("stale-failure");
    expect(s.assign(11)).toEqual({ kind: "wait" });
    expect(s.report({ kind: "map", taskId: 0, attempt: 2, ...ok })).toBe("completed");
    expect(s.report({ kind: "map", taskId: 0, attempt: 1, error: "later" })).toBe("stale-failure");
  });

  it("rejects reports of hand-outs that never happened, and bad options", () => {
    const s = new TaskScheduler({ nMap: 1, nReduce: 1, taskTimeoutMs: 10 });
    expect(() => s.report({ kind: "map", taskId: 0, attempt: 1, ...ok })).toThrow(
      MapReduceUsageError,
    );
    s.assign(0);
    expect(() => s.report({ kind: "map", taskId: 5, attempt: 1, ...ok })).toThrow(
      /no such hand-out/,
    );
    expect(() => s.report({ kind: "reduce", taskId: 0, attempt: 1, ...ok })).toThrow(/no such/);
    for (const bad of [
      { nMap: 0, nReduce: 1, taskTimeoutMs: 1 },
      { nMap: 1, nReduce: 0, taskTimeoutMs: 1 },
      { nMap: 1, nReduce: 1.5, taskTimeoutMs: 1 },
      { nMap: 1, nReduce: 1, taskTimeoutMs: 0 },
      { nMap: 1, nReduce: 1, taskTimeoutMs: 1, maxTaskFailures: 0 },
    ]) {
      expect(() => new TaskScheduler(bad), JSON.stringify(bad)).toThrow(MapReduceUsageError);
    }
  });
});
