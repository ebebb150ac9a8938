import type { ConnectionOptions, TlsOptions } from "node:tls";
import type { Clock } from "../clock.js";
import type { RpcServer } from "../rpc-server.js";
import type { TcpAddress } from "./address.js";
import type { BackoffOptions } from "./backoff.js";
import type { TcpClientOptions, TcpCommonOptions, TcpServerOptions } from "./options.js";
import { TcpClientEnd } from "./tcp-client-end.js";
import { TcpServer } from "./tcp-server.js";

/** Options of a {@link TcpTransport}: shared by every server and end it creates. */
export interface TcpTransportOptions extends TcpCommonOptions {
  /** See {@link TcpClientOptions.connectTimeoutMs}. */
  readonly connectTimeoutMs?: number;
  /** See {@link TcpClientOptions.backoff}. */
  readonly backoff?: BackoffOptions;
  /** See {@link TcpServerOptions.closeGraceMs}. */
  readonly closeGraceMs?: number;
  /** TLS for servers (`server`: key and certificate) and ends (`client`: trusted CA, ...). */
  readonly tls?: { readonly server?: TlsOptions; readonly client?: ConnectionOptions };
  /** See {@link TcpClientOptions.clock}. */
  readonly clock?: Clock;
  /** See {@link TcpClientOptions.random}. */
  readonly random?: () => number;
  /** Protocol errors of every server and end, with where they happened. */
  readonly onError?: (error: Error, where: string) => void;
}

/**
 * A factory for TCP servers and ends that share one set of options, and that closes them all
 * at once.
 *
 * @example
 * const transport = new TcpTransport({ maxFrameBytes: 1 << 20 });
 * const server = await transport.serve(rpcServer, { port: 7000 });
 * const end = transport.end("127.0.0.1:7000");
 * const result = await end.call(Raft.methods.RequestVote, args, { timeoutMs: 100 });
 * await transport.close();
 */
export class TcpTransport {
  readonly #options: TcpTransportOptions;
  readonly #servers = new Set<TcpServer>();
  readonly #ends = new Set<TcpClientEnd>();

  constructor(options: TcpTransportOptions = {}) {
    this.#options = options;
  }

  /** Serves `rpc` on `host:port` (default 127.0.0.1, a free port); resolves once listening. */
  async serve(
    rpc: RpcServer,
    listen: { readonly host?: string; readonly port?: number } = {},
  ): Promise<TcpServer> {
    const o = this.#options;
    const onError = o.onError;
    const options: TcpServerOptions = {
      ...listen,
      ...defined("maxFrameBytes", o.maxFrameBytes),
      ...defined("noDelay", o.noDelay),
      ...defined("closeGraceMs", o.closeGraceMs),
      ...defined("tls", o.tls?.server),
      ...(onError && { onError: (error: Error, peer: string) => onError(error, `client ${peer}`) }),
    };
    const server = new TcpServer(rpc, options);
    this.#servers.add(server);
    await server.listen();
    return server;
  }

  /** An end calling the server at `address`. */
  end(address: TcpAddress, options: { readonly name?: string } = {}): TcpClientEnd {
    const o = this.#options;
    const onError = o.onError;
    const end: TcpClientEnd = new TcpClientEnd(address, {
      ...options,
      ...defined("maxFrameBytes", o.maxFrameBytes),
      ...defined("noDelay", o.noDelay),
      ...defined("connectTimeoutMs", o.connectTimeoutMs),
      ...defined("backoff", o.backoff),
      ...defined("tls", o.tls?.client),
      ...defined("clock", o.clock),
      ...defined("random", o.random),
      ...(onError && { onError: (error: Error) => onError(error, `end ${end.name}`) }),
    } satisfies TcpClientOptions);
    this.#ends.add(end);
    return end;
  }

  /** Closes every end and server created here (servers with their grace period). */
  async close(): Promise<void> {
    const ends = [...this.#ends].map((end) => end.close());
    const servers = [...this.#servers].map((server) => server.close());
    this.#ends.clear();
    this.#servers.clear();
    await Promise.all([...ends, ...servers]);
  }
}

/** `{ [key]: value }` when value is defined, else `{}`: spreads cleanly under exactOptionalPropertyTypes. */
function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
