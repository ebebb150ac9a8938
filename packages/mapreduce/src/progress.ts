import type { CoordinatorEvent } from "./coordinator.js";
import type { JobProgress } from "./scheduler.js";

/** Where progress goes: a stream, and whether it is a terminal. */
export interface ProgressOutput {
  write(text: string): void;
  readonly isTTY?: boolean;
}

/** Receives coordinator events and shows them; `finish` ends the display. */
export interface ProgressReporter {
  onEvent(event: CoordinatorEvent): void;
  /** Prints a line of its own, above the status line on a terminal. */
  log(line: string): void;
  finish(): void;
}

/**
 * Shows a job's progress. On a terminal, one status line redrawn in place (maps and reduces done
 * of total), with re-issues, failures and the end printed above it. Elsewhere (a pipe, a log
 * file), plain lines: one per completed task and per notable event, so logs stay readable and
 * greppable.
 */
export function createProgressReporter(output: ProgressOutput): ProgressReporter {
  const tty = output.isTTY === true;
  let status = "";
  const log = (line: string) => {
    if (tty) output.write(`\r\x1b[2K${line}\n${status}`);
    else output.write(`${line}\n`);
  };
  const redraw = (progress: JobProgress) => {
    if (!tty) return;
    status = statusLine(progress);
    output.write(`\r\x1b[2K${status}`);
  };
  return {
    log,
    onEvent(event) {
      const line = describe(event);
      if (line !== null) log(line);
      redraw(event.progress);
    },
    finish() {
      if (tty && status !== "") output.write(`\r\x1b[2K${status}\n`);
      status = "";
    },
  };
}

/** `maps 3/8, reduces 0/10`, plus re-issues when there were any. */
export function statusLine(p: JobProgress): string {
  const reissues = p.reissues > 0 ? `, ${p.reissues} re-issued` : "";
  return `maps ${p.mapsDone}/${p.nMap}, reduces ${p.reducesDone}/${p.nReduce}${reissues}`;
}

function describe(event: CoordinatorEvent): string | null {
  const counts = statusLine(event.progress);
  switch (event.type) {
    case "assigned":
      return event.reissued
        ? `${event.kind} ${event.taskId} timed out; handed out again to ${event.worker} (attempt ${event.attempt})`
        : null;
    case "reported":
      switch (event.outcome) {
        case "completed":
          return `${event.kind} ${event.taskId} done by ${event.worker} (${counts})`;
        case "failed":
        case "aborted":
          return `${event.kind} ${event.taskId} failed on ${event.worker}: ${event.error}`;
        default:
          return null;
      }
    case "done":
      return `job done in ${(event.elapsedMs / 1000).toFixed(1)} s (${counts})`;
    case "aborted":
      return `job aborted: ${event.reason}`;
  }
}
