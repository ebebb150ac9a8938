// The one place the simulator touches the real event loop. It waits for one macrotask turn,
// which runs every queued microtask first, however deep the promise chains are: that is how
// the simulator lets `await` continuations run between two events. Captured at module load so
// that fake timers installed later by a test runner cannot replace it.
const realSetImmediate = globalThis.setImmediate;

/** Resolves after the current microtask queue has been drained completely. */
export function drainMicrotasks(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve));
}
