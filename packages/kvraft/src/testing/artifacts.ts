/**
 * Where a harness keeps what a failure leaves behind (the HTML report of a history that is not
 * linearizable). Injected, so the harness itself touches no file system; `directoryArtifactWriter`
 * is the Node implementation.
 */
export interface ArtifactWriter {
  /** Stores `contents` under `name` (a file name) and returns where it went, for messages. */
  write(name: string, contents: string): string;
}
