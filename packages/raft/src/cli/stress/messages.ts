/** What a stress worker thread is started with. */
export interface StressWorkerData {
  /** URL of the registry module, or undefined for the built-in suite. */
  readonly registry: string | undefined;
  /** URL of a module exporting `peerFactory`, or undefined for this package's Raft. */
  readonly raft: string | undefined;
  /** `--sync-delay`: see `ScenarioRunOptions.syncDelayMs`. */
  readonly syncDelayMs: number | undefined;
}

/** One run: a scenario (by name) and a seed. Sent from the main thread to a worker. */
export interface StressJob {
  readonly scenario: string;
  readonly seed: number;
}

/** The outcome of one run, as a worker reports it (plain data: it crosses threads). */
export interface StressRunReport {
  readonly scenario: string;
  readonly seed: number;
  readonly ok: boolean;
  /** The failure's message (it names the seed and the virtual time) when `ok` is false. */
  readonly failure?: string;
  readonly virtualMs: number;
  readonly wallMs: number;
}

/** Messages from a worker: it finished loading, or it finished a run. */
export type StressWorkerMessage =
  | { readonly type: "ready" }
  | { readonly type: "result"; readonly report: StressRunReport };
