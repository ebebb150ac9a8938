/** A scheduled callback that can be cancelled before it fires. */
export interface Timer {
  /** Prevents the callback from running; does nothing if it already ran. */
  cancel(): void;
}

/**
 * Time, injected. Protocol code never reads the wall clock or sets timers itself (DESIGN
 * principle 2): it asks a `Clock`. The simulator's clock is virtual and jumps from event to
 * event; {@link RealClock} is the production one.
 */
export interface Clock {
  /** Milliseconds since an arbitrary origin, never decreasing. */
  now(): number;
  /** Runs `callback` once, `delayMs` (>= 0) from now. */
  setTimer(delayMs: number, callback: () => void): Timer;
  /** Resolves `ms` (>= 0) milliseconds from now. */
  sleep(ms: number): Promise<void>;
}
