/**
 * Work a scenario runs beside its main script, as the course's tests start goroutines: each
 * task is a promise on the simulator. The first failure is kept so the main script can stop
 * at once ({@link BackgroundTasks.throwIfFailed}) instead of at the end, and so no rejection is
 * ever left unhandled while the main script is still sleeping.
 */
export class BackgroundTasks {
  readonly #running: Promise<void>[] = [];
  #failed = false;
  #failure: unknown;

  /** Starts `task` now; it runs until its first `await` before `spawn` returns. */
  spawn(task: () => Promise<void>): void {
    const running = task().catch((error: unknown) => {
      if (this.#failed) return;
      this.#failed = true;
      this.#failure = error;
    });
    this.#running.push(running);
  }

  /** True once some task has thrown. */
  get failed(): boolean {
    return this.#failed;
  }

  /** Rethrows the first failure of any task, if there was one. */
  throwIfFailed(): void {
    if (this.#failed) throw this.#failure;
  }

  /** Waits for every task started so far, then rethrows the first failure. */
  async join(): Promise<void> {
    await Promise.all(this.#running);
    this.throwIfFailed();
  }
}
