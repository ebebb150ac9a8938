import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { CliCommand } from "../cli-command.js";
import { ScriptCaseError } from "./script-error.js";

/** How a process ended. */
export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when it was killed for running past its time limit. */
  readonly timedOut: boolean;
}

/** Options of {@link CliProcess}. */
export interface CliProcessOptions {
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Name in error messages, e.g. `"worker 2"`. */
  readonly label: string;
  /** Killed (SIGKILL) after this long, like the course's `timeout -k`. */
  readonly timeoutMs: number;
}

const KEPT_LINES = 40;

/**
 * One `mapreduce` process of the test script: its output is kept (the last lines, for failure
 * messages) and can be waited on line by line, and it is killed if it outlives its limit.
 */
export class CliProcess {
  readonly label: string;
  /** Resolves when the process has exited and its output is drained; never rejects. */
  readonly exited: Promise<ExitStatus>;
  readonly #child: ChildProcess;
  readonly #lines: string[] = [];
  readonly #listeners = new Set<(line: string) => void>();
  #status: ExitStatus | null = null;

  constructor(cli: CliCommand, args: readonly string[], options: CliProcessOptions) {
    this.label = options.label;
    this.#child = spawn(cli.command, [...cli.args, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.#child.kill("SIGKILL");
    }, options.timeoutMs);
    for (const stream of [this.#child.stdout, this.#child.stderr]) {
      if (stream !== null)
        createInterface({ input: stream }).on("line", (line) => this.#line(line));
    }
    this.exited = new Promise((resolve) => {
      const finish = (code: number | null, signal: NodeJS.Signals | null) => {
        clearTimeout(timer);
        this.#status ??= { code, signal, timedOut };
        resolve(this.#status);
      };
      this.#child.once("close", finish);
      this.#child.once("error", (error) => {
        this.#line(`spawn failed: ${error.message}`);
        finish(null, null);
      });
    });
  }

  /** True until the process has exited. */
  get running(): boolean {
    return (
      this.#status === null && this.#child.exitCode === null && this.#child.signalCode === null
    );
  }

  /** Kills the process (SIGKILL) if it is still running. */
  kill(): void {
    if (this.running) this.#child.kill("SIGKILL");
  }

  /** Its last lines of output, for failure messages. */
  tail(): string {
    return this.#lines.length === 0 ? "(no output)" : this.#lines.join("\n");
  }

  /**
   * Resolves with the first line (already printed or still to come) that matches `pattern`.
   * @throws ScriptCaseError when the process exits first.
   */
  async waitForLine(pattern: RegExp): Promise<RegExpExecArray> {
    for (const line of this.#lines) {
      const match = pattern.exec(line);
      if (match !== null) return match;
    }
    let listener: (line: string) => void = () => {};
    const matched = new Promise<RegExpExecArray>((resolve) => {
      listener = (line) => {
        const match = pattern.exec(line);
        if (match !== null) resolve(match);
      };
      this.#listeners.add(listener);
    });
    try {
      const first = await Promise.race([matched, this.exited]);
      if ("timedOut" in first) {
        throw new ScriptCaseError(
          `${this.label} exited (${describeExit(first)}) before printing ${pattern}:\n${this.tail()}`,
        );
      }
      return first;
    } finally {
      this.#listeners.delete(listener);
    }
  }

  /**
   * Waits for the process to exit and checks how: `expected` exit codes (default `[0]`), and
   * never a time-out.
   * @throws ScriptCaseError otherwise.
   */
  async expectExit(expected: readonly number[] = [0]): Promise<ExitStatus> {
    const status = await this.exited;
    if (status.timedOut || status.code === null || !expected.includes(status.code)) {
      throw new ScriptCaseError(`${this.label} ${describeExit(status)}:\n${this.tail()}`);
    }
    return status;
  }

  #line(line: string): void {
    this.#lines.push(line);
    if (this.#lines.length > KEPT_LINES) this.#lines.shift();
    for (const listener of this.#listeners) listener(line);
  }
}

/** `exited with code 1`, `was killed by SIGKILL`, `did not exit in time (killed)`. */
export function describeExit(status: ExitStatus): string {
  if (status.timedOut) return "did not exit in time and was killed";
  if (status.code !== null) return `exited with code ${status.code}`;
  return `was killed by ${status.signal ?? "an unknown signal"}`;
}
