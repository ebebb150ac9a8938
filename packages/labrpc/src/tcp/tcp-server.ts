import { createServer, type Server, type Socket } from "node:net";
import { createServer as createTlsServer, type TLSSocket } from "node:tls";
import { RpcUsageError } from "../errors.js";
import type { RpcServer } from "../rpc-server.js";
import { checkPort, formatAddress, type HostPort } from "./address.js";
import { resolveDurationMs, resolveMaxFrameBytes, type TcpServerOptions } from "./options.js";
import { ServerConnection, type ServerConnectionHost } from "./server-connection.js";

/** Options of {@link TcpServer.close}. */
export interface TcpCloseOptions {
  /**
   * How long calls in flight may still finish and be answered (default: the server's
   * `closeGraceMs`). 0 aborts every connection at once, like a crash.
   */
  readonly graceMs?: number;
}

type State = "new" | "listening" | "closing" | "closed";

/**
 * Serves one {@link RpcServer} over TCP (or TLS) with the labrpc frame format.
 *
 * Each connection is served independently: many calls run concurrently on one connection and
 * their replies go back in completion order, matched by request id. A handler that throws
 * becomes an error frame (the caller rejects with `HandlerError`); it never affects the server.
 * A connection that sends an oversized or malformed frame is reported to `onError` and closed;
 * the others keep being served.
 *
 * @example
 * const server = new TcpServer(new RpcServer().addService(Echo, { Say: (s) => s }));
 * const { port } = await server.listen();
 * // ... later
 * await server.close();
 */
export class TcpServer {
  readonly #host: string;
  readonly #port: number;
  readonly #maxFrameBytes: number;
  readonly #noDelay: boolean;
  readonly #closeGraceMs: number;
  readonly #onError: (error: Error, peer: string) => void;
  readonly #server: Server;
  readonly #connections = new Set<ServerConnection>();
  /** What every connection shares with this server. */
  readonly #connectionHost: ServerConnectionHost;
  #state: State = "new";
  #address: HostPort | null = null;
  #closing: Promise<void> | null = null;

  constructor(rpc: RpcServer, options: TcpServerOptions = {}) {
    this.#host = options.host ?? "127.0.0.1";
    this.#port = checkPort(options.port ?? 0, options);
    this.#maxFrameBytes = resolveMaxFrameBytes(options.maxFrameBytes);
    this.#noDelay = options.noDelay ?? true;
    this.#closeGraceMs = resolveDurationMs("closeGraceMs", options.closeGraceMs, 5000);
    this.#onError = options.onError ?? (() => {});
    this.#connectionHost = {
      rpc,
      maxFrameBytes: this.#maxFrameBytes,
      reportError: (error, peer) => this.#report(error, peer),
      forget: (connection) => this.#connections.delete(connection),
    };
    if (options.tls === undefined) {
      this.#server = createServer((socket) => this.#accept(socket));
    } else {
      this.#server = createTlsServer(options.tls, (socket: TLSSocket) => this.#accept(socket));
      this.#server.on("tlsClientError", (err: Error, socket: TLSSocket) =>
        this.#report(err, `${socket.remoteAddress}:${socket.remotePort}`),
      );
    }
  }

  /** Starts listening; resolves with the bound address (the real port when asked for port 0). */
  listen(): Promise<HostPort> {
    if (this.#state !== "new") {
      return Promise.reject(new RpcUsageError(`TcpServer.listen() called when ${this.#state}`));
    }
    this.#state = "listening";
    return new Promise((resolve, reject) => {
      const failed = (err: Error) => {
        this.#state = "closed";
        reject(err);
      };
      this.#server.once("error", failed);
      this.#server.listen(this.#port, this.#host, () => {
        this.#server.off("error", failed);
        this.#server.on("error", (err) => this.#report(err, "listener"));
        const bound = this.#server.address();
        const port = typeof bound === "object" && bound !== null ? bound.port : this.#port;
        this.#address = { host: this.#host, port };
        resolve(this.#address);
      });
    });
  }

  /** The address the server listens on; throws before `listen()` resolved. */
  get address(): HostPort {
    if (this.#address === null) throw new RpcUsageError("TcpServer is not listening");
    return this.#address;
  }

  /** `host:port` of the listening socket, for logs and for `new TcpClientEnd(server.url)`. */
  get url(): string {
    return formatAddress(this.address);
  }

  /** Open client connections. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /**
   * Shuts down: stops accepting connections and starting new calls, lets the calls in flight
   * finish for up to `graceMs` and sends their replies, then closes every connection (calls still
   * running are dropped; their handlers' replies are discarded). Resolves when every socket is
   * closed. Calling it again returns the same promise.
   */
  close(options: TcpCloseOptions = {}): Promise<void> {
    const graceMs = resolveDurationMs("graceMs", options.graceMs, this.#closeGraceMs);
    this.#closing ??= this.#shutDown(graceMs);
    return this.#closing;
  }

  async #shutDown(graceMs: number): Promise<void> {
    const wasListening = this.#state === "listening";
    this.#state = "closing";
    const stopped = wasListening
      ? new Promise<void>((resolve) => this.#server.close(() => resolve()))
      : Promise.resolve();
    const connections = [...this.#connections];
    if (graceMs > 0) {
      const drained = Promise.all(connections.map((c) => c.drain()));
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([drained, expired]);
      clearTimeout(timer);
    }
    for (const connection of connections) connection.shutdown(graceMs === 0);
    await Promise.all([stopped, ...connections.map((c) => c.closed)]);
    this.#state = "closed";
  }

  #accept(socket: Socket): void {
    if (this.#state !== "listening") {
      socket.destroy();
      return;
    }
    this.#connections.add(new ServerConnection(socket, this.#connectionHost, this.#noDelay));
  }

  #report(error: Error, peer: string): void {
    try {
      this.#onError(error, peer);
    } catch {
      // A faulty error listener must not take the server down with it.
    }
  }
}
