/**
 * The protocol of the benchmark's child processes (the kvraft servers, the raft followers):
 * one JSON line per event on stdout, and an exit when stdin ends, so a child never outlives
 * the benchmark that started it, however that one ended.
 */

/** Writes one event line to stdout. */
export const printEvent = (line: object): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

/** What a child serves until it is told to stop. */
export interface ChildServer {
  readonly address: string;
  close(): Promise<void>;
}

/**
 * Starts `serve(config)` with the JSON config in `argv[2]`, prints
 * `{"event":"listening","address":..}`, and closes and exits when stdin ends; a failed start
 * prints `{"event":"error","code":..,"message":..}` and exits 2. `onListening` runs once
 * serving (for profiling hooks).
 */
export async function runChild<Config>(
  serve: (config: Config) => Promise<ChildServer>,
  onListening?: () => void,
): Promise<void> {
  try {
    const server = await serve(JSON.parse(process.argv[2] ?? "{}") as Config);
    printEvent({ event: "listening", address: server.address });
    onListening?.();
    process.stdin.resume();
    process.stdin.on("end", () => {
      void server.close().finally(() => process.exit(0));
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    printEvent({ event: "error", code: String(code ?? "unknown"), message: String(error) });
    process.exit(2);
  }
}
