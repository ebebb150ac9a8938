/** Minimum wall-clock milliseconds between two redraws: redrawing per run would flood a terminal. */
const REDRAW_INTERVAL_MS = 100;

/**
 * A single progress line redrawn in place on a terminal ("\r" then clear to end of line). With no
 * terminal (output to a pipe or file) it does nothing, so logs stay plain.
 */
export class ProgressLine {
  readonly #terminal: { readonly columns: number; write(text: string): void } | undefined;
  readonly #total: number;
  readonly #now: () => number;
  readonly #started: number;
  #lastDraw = Number.NEGATIVE_INFINITY;
  #shown = false;

  constructor(
    terminal: { readonly columns: number; write(text: string): void } | undefined,
    total: number,
    /** Wall-clock milliseconds; injectable for tests. */
    now: () => number = () => performance.now(),
  ) {
    this.#terminal = terminal;
    this.#total = total;
    this.#now = now;
    this.#started = now();
  }

  /** Redraws with the current counts, at most every {@link REDRAW_INTERVAL_MS}. */
  update(done: number, failed: number): void {
    const terminal = this.#terminal;
    const now = this.#now();
    if (terminal === undefined || now - this.#lastDraw < REDRAW_INTERVAL_MS) return;
    this.#lastDraw = now;
    const elapsed = (now - this.#started) / 1000;
    const left =
      done === 0 ? "" : `, ~${Math.ceil((elapsed / done) * (this.#total - done))} s left`;
    const text = `${done}/${this.#total} runs, ${failed} failed, ${elapsed.toFixed(1)} s${left}`;
    terminal.write(`\r${text.slice(0, Math.max(0, terminal.columns - 1))}\x1b[K`);
    this.#shown = true;
  }

  /** Erases the line, so that other output can be printed where it was. */
  clear(): void {
    if (this.#terminal === undefined || !this.#shown) return;
    this.#terminal.write("\r\x1b[K");
    this.#shown = false;
    // Draw again at the next update, whatever the interval.
    this.#lastDraw = Number.NEGATIVE_INFINITY;
  }
}
