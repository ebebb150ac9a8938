/** One intermediate or final pair, the course's `KeyValue`. */
export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

/**
 * What a task tells the application besides its inputs. The course's test applications use the
 * shared directory for marker files; ordinary applications ignore it.
 */
export interface TaskContext {
  /** The job's shared directory (intermediate and output files live here). */
  readonly workDir: string;
  /** The map or reduce task number. */
  readonly taskId: number;
}

/** A value, or a promise of it: applications may be synchronous or asynchronous. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * A MapReduce application: the course's plugin, as a module exporting `map` and `reduce`.
 *
 * `map` is called once per input file with its whole contents; `reduce` once per distinct key
 * with every value emitted for it, and its result becomes the line `key result` of the output.
 */
export interface MapReduceApp {
  map(filename: string, contents: string, context: TaskContext): MaybePromise<readonly KeyValue[]>;
  reduce(key: string, values: readonly string[], context: TaskContext): MaybePromise<string>;
}
