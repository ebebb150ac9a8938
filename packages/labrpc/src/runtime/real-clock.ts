import type { Clock, Timer } from "../clock.js";

/** The production {@link Clock}: monotonic time from `performance.now()` and real timers. */
export class RealClock implements Clock {
  readonly #origin = performance.now();

  now(): number {
    return performance.now() - this.#origin;
  }

  setTimer(delayMs: number, callback: () => void): Timer {
    const handle = setTimeout(callback, Math.max(0, delayMs));
    return { cancel: () => clearTimeout(handle) };
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
  }
}
