import type { Socket } from "node:net";
import { HandlerError } from "../errors.js";
import type { RpcServer } from "../rpc-server.js";
import { replyFrameBytes } from "./frame.js";
import { FrameDecoder, type FrameSink } from "./frame-decoder.js";
import { FrameCorruptError } from "./frame-errors.js";
import { FrameWriter } from "./frame-writer.js";
import { describeDispatchError, encodeRemoteError } from "./remote-error.js";

const OWNED = Object.freeze({ owned: true });

/** What a {@link ServerConnection} needs from its server. */
export interface ServerConnectionHost {
  readonly rpc: RpcServer;
  readonly maxFrameBytes: number;
  /** Reports a protocol error; the connection closes itself right after. */
  reportError(error: Error, peer: string): void;
  /** Called once, when the socket has closed. */
  forget(connection: ServerConnection): void;
}

/**
 * One accepted connection of a `TcpServer`: decodes request frames, dispatches each to the
 * `RpcServer` concurrently (a slow handler never holds up the others), and writes each reply or
 * error frame when its handler settles, in completion order. A frame the decoder rejects closes
 * this connection only.
 */
export class ServerConnection implements FrameSink {
  /** `host:port` of the client. */
  readonly peer: string;
  readonly #socket: Socket;
  readonly #host: ServerConnectionHost;
  readonly #writer: FrameWriter;
  readonly #decoder: FrameDecoder;
  readonly #context: { readonly caller: string };
  #inFlight = 0;
  #draining = false;
  #onIdle: (() => void) | null = null;
  /** Resolved once the socket has closed. */
  readonly closed: Promise<void>;

  constructor(socket: Socket, host: ServerConnectionHost, noDelay: boolean) {
    this.#socket = socket;
    this.#host = host;
    this.peer = `${socket.remoteAddress}:${socket.remotePort}`;
    this.#context = { caller: this.peer };
    this.#writer = new FrameWriter(socket);
    this.#decoder = new FrameDecoder(host.maxFrameBytes, this, `from ${this.peer}`);
    socket.setNoDelay(noDelay);
    // Finds clients that vanished without a reset, so their connections do not linger forever.
    socket.setKeepAlive(true, 30_000);
    socket.on("data", (chunk: Buffer) => this.#data(chunk));
    socket.on("end", () => {
      const truncated = this.#decoder.finish();
      if (truncated !== null) this.#host.reportError(truncated, this.peer);
    });
    // Resets and other socket errors are a client going away: routine, nothing to report.
    socket.on("error", () => {});
    this.closed = new Promise((resolve) => {
      socket.on("close", () => {
        this.#onIdle?.();
        this.#host.forget(this);
        resolve();
      });
    });
  }

  /** Calls being served now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Stops dispatching new requests; resolves when the calls in flight have been answered. */
  drain(): Promise<void> {
    this.#draining = true;
    if (this.#inFlight === 0 || this.#socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      this.#onIdle = resolve;
    });
  }

  /** Closes gracefully (flushing written replies) when idle; otherwise aborts the connection. */
  shutdown(abort: boolean): void {
    if (abort || this.#inFlight > 0) {
      this.#socket.destroy();
      return;
    }
    this.#writer.endOfTick();
    this.#socket.end(() => this.#socket.destroy());
  }

  request(id: number, method: string, payload: Uint8Array): void {
    // While the server closes, new requests are not started: the client sees the connection
    // close and resolves them `dropped`.
    if (this.#draining) return;
    this.#inFlight++;
    this.#serve(id, method, payload);
  }

  reply(id: number): void {
    throw new FrameCorruptError(`client ${this.peer} sent a reply frame (id ${id}) to a server`);
  }

  error(id: number): void {
    throw new FrameCorruptError(`client ${this.peer} sent an error frame (id ${id}) to a server`);
  }

  #data(chunk: Buffer): void {
    try {
      this.#decoder.push(chunk);
    } catch (err) {
      this.#host.reportError(err as Error, this.peer);
      this.#socket.destroy();
    }
  }

  /**
   * Runs one call; every outcome becomes a frame. Written with `then` rather than as an async
   * function: an async function's frame is the largest allocation on this path.
   */
  #serve(id: number, method: string, payload: Uint8Array): void {
    // A payload is a view of a received chunk or a copy made for it; neither is ever written
    // again, so the handler may keep views of it.
    this.#host.rpc.dispatch(method, payload, this.#context, OWNED).then(
      (reply) => {
        this.#answer(id, method, reply);
        this.#settled();
      },
      (err: unknown) => {
        this.#writer.error(id, encodeRemoteError(describeDispatchError(err)));
        this.#settled();
      },
    );
  }

  #answer(id: number, method: string, reply: Uint8Array): void {
    const frameBytes = replyFrameBytes(reply.length);
    const max = this.#host.maxFrameBytes;
    if (frameBytes <= max) {
      this.#writer.reply(id, reply);
      return;
    }
    const tooLarge = `reply is a frame of ${frameBytes} bytes, above the maximum of ${max}`;
    const info = describeDispatchError(new HandlerError(method, tooLarge));
    this.#writer.error(id, encodeRemoteError(info));
  }

  #settled(): void {
    this.#inFlight--;
    if (this.#inFlight === 0 && this.#onIdle !== null) {
      const onIdle = this.#onIdle;
      this.#onIdle = null;
      onIdle();
    }
  }
}
