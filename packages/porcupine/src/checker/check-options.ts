/** Options of a linearizability check. */
export interface CheckOptions {
  /**
   * Give up after this many milliseconds and answer `unknown` (reason `timeout`).
   * Default: no time limit.
   */
  readonly timeoutMs?: number;
  /**
   * Give up when the search's memo is estimated to hold more than this many bytes and answer
   * `unknown` (reason `memory`). Default: 1 GiB, or half of V8's heap limit if that is smaller.
   * Independently, a search always stops before the V8 heap is nearly full.
   */
  readonly memoryLimitBytes?: number;
  /**
   * Keep what a report needs: a linearization of each legal partition, the longest linearizable
   * prefixes of an illegal one. Costs little. Default: false.
   */
  readonly collectInfo?: boolean;
  /**
   * Check partitions in worker threads. `false`: never. `true` or absent: when it pays (a model
   * with a `portable` reference, several partitions and enough operations). A number: at most
   * that many workers, whenever the model is portable and there are several partitions.
   * Only the asynchronous check functions use workers.
   */
  readonly parallel?: boolean | number;
}
