import { connect as connectTcp, type Socket } from "node:net";
import { type ConnectionOptions, connect as connectTls } from "node:tls";
import type { CallOptions, CallResult, ClientEnd } from "../client-end.js";
import type { Clock, Timer } from "../clock.js";
import { RpcUsageError } from "../errors.js";
import type { MethodDescriptor } from "../method.js";
import { RealClock } from "../runtime/real-clock.js";
import { formatAddress, type HostPort, parseAddress, type TcpAddress } from "./address.js";
import { Backoff } from "./backoff.js";
import { MAX_METHOD_NAME_BYTES, MAX_REQUEST_ID, requestFrameBytes } from "./frame.js";
import { FrameDecoder, type FrameSink } from "./frame-decoder.js";
import { FrameCorruptError, FrameTooLargeError } from "./frame-errors.js";
import { FrameWriter } from "./frame-writer.js";
import { resolveDurationMs, resolveMaxFrameBytes, type TcpClientOptions } from "./options.js";
import { decodeRemoteError, remoteErrorToError } from "./remote-error.js";

/**
 * Where the end's connection stands:
 * - `idle`: no connection; the next call connects, unless a failed attempt's backoff is running.
 * - `connecting`: an attempt (TCP connect, TLS handshake) is under way; calls wait for it.
 * - `open`: calls are sent at once.
 * - `closed`: `close()` was called; calls resolve `closed`.
 */
export type TcpConnectionState = "idle" | "connecting" | "open" | "closed";

/** Counters and state of a {@link TcpClientEnd}, for tests and monitoring. */
export interface TcpClientStats {
  readonly state: TcpConnectionState;
  /** Connect attempts started. */
  readonly connectAttempts: number;
  /** Connections established (the first one and every reconnect). */
  readonly connections: number;
  /** Consecutive failed attempts (0 once connected). */
  readonly failures: number;
  /** Clock time before which no new attempt is made (0 when not backing off). */
  readonly retryAt: number;
  /** Calls waiting for a reply or for the connection. */
  readonly pendingCalls: number;
}

/** Idle time before TCP keepalive probes: finds a peer that vanished without a reset. */
const KEEPALIVE_MS = 30_000;

const CLOSED: CallResult<never> = Object.freeze({ ok: false, reason: "closed" });
const UNREACHABLE: CallResult<never> = Object.freeze({ ok: false, reason: "unreachable" });
const DROPPED: CallResult<never> = Object.freeze({ ok: false, reason: "dropped" });
const TIMEOUT: CallResult<never> = Object.freeze({ ok: false, reason: "timeout" });

/** One call from `call()` until it settles. */
class PendingCall {
  timer: Timer | null = null;
  constructor(
    readonly id: number,
    readonly method: MethodDescriptor<unknown, unknown>,
    readonly name: Buffer,
    public payload: Uint8Array | null,
    readonly resolve: (result: CallResult<unknown>) => void,
    readonly reject: (error: unknown) => void,
  ) {}
}

/**
 * A {@link ClientEnd} that reaches a {@link TcpServer} over TCP (or TLS).
 *
 * - **One connection, multiplexed.** The connection is opened by the first call; every call gets
 *   a request id, so any number run concurrently and replies may come back in any order.
 * - **Timeouts** (`timeoutMs`) run on the injected clock; a reply arriving later is ignored.
 * - **Failures never reject.** A call sent on a connection that breaks resolves `dropped` (the
 *   server may or may not have run it). A call made while there is no connection waits for one
 *   connect attempt (bounded by `connectTimeoutMs`); if the attempt fails it resolves
 *   `unreachable`. After a failed attempt, calls resolve `unreachable` at once until the
 *   backoff delay has passed: there is no queue that grows while a server is down, and
 *   reconnecting needs no background timer, so an idle end costs nothing. After a working
 *   connection breaks the next call reconnects immediately.
 * - **Rejects** only on programming errors: the request codec throws (before anything is sent),
 *   the request does not fit in `maxFrameBytes` (`FrameTooLargeError`, before anything is
 *   sent), the server lacks the method (`UnknownMethodError`), the handler threw
 *   (`HandlerError`), the server could not decode the request (`BadRequestError`, a
 *   `HandlerError`), or the reply codec cannot decode the reply (that codec's error).
 * - An idle connection does not keep the process alive; `close()` ends it and resolves pending
 *   calls `closed`.
 */
export class TcpClientEnd implements ClientEnd {
  /** A name for traces and errors. */
  readonly name: string;
  /** The server this end calls. */
  readonly address: HostPort;
  readonly #maxFrameBytes: number;
  readonly #noDelay: boolean;
  readonly #connectTimeoutMs: number;
  readonly #tls: ConnectionOptions | undefined;
  readonly #clock: Clock;
  readonly #backoff: Backoff;
  readonly #onError: (error: Error) => void;
  readonly #source: string;
  /** Method names as wire bytes, encoded once per method. */
  readonly #names = new Map<string, Buffer>();
  /** Calls sent on the open connection, by request id. */
  readonly #sent = new Map<number, PendingCall>();
  /** Calls waiting for the connection being established. */
  #waiting: PendingCall[] = [];
  #state: TcpConnectionState = "idle";
  #socket: Socket | null = null;
  #writer: FrameWriter | null = null;
  #lastId = 0;
  #failures = 0;
  #retryAt = 0;
  #connectAttempts = 0;
  #connections = 0;
  #closed: Promise<void> | null = null;
  /** Where the decoder delivers frames: replies and errors; a request frame is a protocol error. */
  readonly #sink: FrameSink = {
    request: (id, method) => {
      throw new FrameCorruptError(
        `server sent a request frame (id ${id}, method "${method}") ${this.#source}`,
      );
    },
    reply: (id, payload) => this.#receiveReply(id, payload),
    error: (id, payload) => this.#receiveError(id, payload),
  };

  constructor(address: TcpAddress, options: TcpClientOptions = {}) {
    this.address = parseAddress(address);
    this.name = options.name ?? formatAddress(this.address);
    this.#maxFrameBytes = resolveMaxFrameBytes(options.maxFrameBytes);
    this.#noDelay = options.noDelay ?? true;
    this.#connectTimeoutMs = resolveDurationMs("connectTimeoutMs", options.connectTimeoutMs, 3000);
    this.#tls = options.tls;
    this.#clock = options.clock ?? new RealClock();
    this.#backoff = new Backoff(options.backoff, options.random);
    this.#onError = options.onError ?? (() => {});
    this.#source = `from server ${formatAddress(this.address)}`;
  }

  /** A snapshot of the connection state and counters. */
  get stats(): TcpClientStats {
    return {
      state: this.#state,
      connectAttempts: this.#connectAttempts,
      connections: this.#connections,
      failures: this.#failures,
      retryAt: this.#retryAt,
      pendingCalls: this.#sent.size + this.#waiting.length,
    };
  }

  /**
   * Calls `method` on the server: resolves `{ ok: true, reply }`, or `{ ok: false, reason }`
   * for a timeout (`timeout`), a failed connect or a backoff window (`unreachable`), a connection
   * lost with the call in flight (`dropped`) or a closed end (`closed`).
   */
  call<Req, Rep>(
    method: MethodDescriptor<Req, Rep>,
    args: Req,
    options?: CallOptions,
  ): Promise<CallResult<Rep>> {
    if (this.#state === "closed") return Promise.resolve(CLOSED);
    const timeoutMs = options?.timeoutMs;
    if (timeoutMs !== undefined && !(timeoutMs >= 0 && timeoutMs !== Number.POSITIVE_INFINITY)) {
      return Promise.reject(
        new RpcUsageError(`timeoutMs must be a finite number >= 0, got ${timeoutMs}`),
      );
    }
    let payload: Uint8Array;
    let name: Buffer;
    try {
      // Encoding first: an argument the codec refuses rejects the call before anything is sent.
      payload = method.request.encode(args);
      name = this.#nameBytes(method.fullName);
    } catch (err) {
      return Promise.reject(err);
    }
    const frameBytes = requestFrameBytes(name.length, payload.length);
    if (frameBytes > this.#maxFrameBytes) {
      const where = `for request ${method.fullName} to ${this.name}`;
      return Promise.reject(new FrameTooLargeError(frameBytes, this.#maxFrameBytes, where));
    }
    if (this.#state === "idle" && this.#clock.now() < this.#retryAt) {
      return Promise.resolve(UNREACHABLE);
    }
    return new Promise<CallResult<Rep>>((resolve, reject) => {
      const call = new PendingCall(
        this.#nextId(),
        method as MethodDescriptor<unknown, unknown>,
        name,
        payload,
        resolve as (result: CallResult<unknown>) => void,
        reject,
      );
      if (timeoutMs !== undefined) {
        call.timer = this.#clock.setTimer(timeoutMs, () => this.#expire(call));
      }
      if (this.#state === "open") {
        this.#send(call);
      } else {
        this.#waiting.push(call);
        if (this.#state === "idle") this.#connect();
      }
    });
  }

  /**
   * Closes the connection; calls in flight or waiting resolve `closed`, and so do later calls.
   * Resolves when the socket is closed. Calling it again returns the same promise.
   */
  close(): Promise<void> {
    if (this.#closed !== null) return this.#closed;
    this.#state = "closed";
    this.#failAll(CLOSED);
    const socket = this.#socket;
    this.#socket = null;
    this.#writer = null;
    if (socket === null || socket.closed) {
      this.#closed = Promise.resolve();
    } else {
      this.#closed = new Promise((resolve) => socket.once("close", () => resolve()));
      socket.destroy();
    }
    return this.#closed;
  }

  #nameBytes(fullName: string): Buffer {
    let name = this.#names.get(fullName);
    if (name === undefined) {
      name = Buffer.from(fullName, "utf8");
      if (name.length > MAX_METHOD_NAME_BYTES) {
        throw new RpcUsageError(`method name "${fullName.slice(0, 40)}..." is too long`);
      }
      this.#names.set(fullName, name);
    }
    return name;
  }

  /** The next request id not in use (ids wrap around after 2^32 calls). */
  #nextId(): number {
    do {
      this.#lastId = this.#lastId === MAX_REQUEST_ID ? 1 : this.#lastId + 1;
    } while (this.#sent.has(this.#lastId));
    return this.#lastId;
  }

  #send(call: PendingCall): void {
    const payload = call.payload as Uint8Array;
    call.payload = null;
    this.#sent.set(call.id, call);
    // An idle connection must not keep the process alive; a call waiting for a reply must.
    if (this.#sent.size === 1) this.#socket?.ref();
    this.#writer?.request(call.id, call.name, payload);
  }

  /** Removes a sent call that just got its answer; false if it already settled (timed out). */
  #take(id: number): PendingCall | undefined {
    const call = this.#sent.get(id);
    if (call === undefined) return undefined;
    this.#sent.delete(id);
    call.timer?.cancel();
    if (this.#sent.size === 0) this.#socket?.unref();
    return call;
  }

  #expire(call: PendingCall): void {
    if (this.#sent.get(call.id) === call) {
      this.#take(call.id);
    } else {
      const index = this.#waiting.indexOf(call);
      if (index < 0) return;
      this.#waiting.splice(index, 1);
    }
    call.resolve(TIMEOUT);
  }

  #connect(): void {
    this.#state = "connecting";
    this.#connectAttempts++;
    const { host, port } = this.address;
    const tls = this.#tls;
    const socket =
      tls === undefined ? connectTcp({ host, port }) : connectTls({ ...tls, host, port });
    this.#socket = socket;
    socket.setNoDelay(this.#noDelay);
    socket.setKeepAlive(true, KEEPALIVE_MS);
    const decoder = new FrameDecoder(this.#maxFrameBytes, this.#sink, this.#source);
    const timer = this.#clock.setTimer(this.#connectTimeoutMs, () => socket.destroy());
    socket.once(tls === undefined ? "connect" : "secureConnect", () => {
      timer.cancel();
      if (this.#socket === socket) this.#opened(socket);
    });
    socket.on("data", (chunk: Buffer) => {
      try {
        decoder.push(chunk);
      } catch (err) {
        this.#report(err as Error);
        socket.destroy();
      }
    });
    socket.on("end", () => {
      const truncated = decoder.finish();
      if (truncated !== null) this.#report(truncated);
      // The server will send nothing more: settle now rather than at "close", so a call made
      // in between opens a new connection instead of being written to a closing one.
      if (this.#socket === socket) this.#lost();
      socket.destroy();
    });
    // Refused, reset, TLS failures: the outcome is the same as a close, handled there.
    socket.on("error", () => {});
    socket.on("close", () => {
      timer.cancel();
      if (this.#socket === socket) this.#lost();
    });
  }

  #opened(socket: Socket): void {
    this.#state = "open";
    this.#failures = 0;
    this.#retryAt = 0;
    this.#connections++;
    this.#writer = new FrameWriter(socket);
    const waiting = this.#waiting;
    this.#waiting = [];
    socket.unref();
    for (const call of waiting) this.#send(call);
  }

  /** The current socket closed (not through `close()`). */
  #lost(): void {
    const wasOpen = this.#state === "open";
    this.#socket = null;
    this.#writer = null;
    this.#state = "idle";
    if (wasOpen) {
      // The server may have run these calls: "dropped", and reconnect on the next call.
      this.#failAll(DROPPED);
    } else {
      this.#failures++;
      this.#retryAt = this.#clock.now() + this.#backoff.delayMs(this.#failures);
      this.#failAll(UNREACHABLE);
    }
  }

  #failAll(result: CallResult<never>): void {
    const calls = [...this.#sent.values(), ...this.#waiting];
    this.#sent.clear();
    this.#waiting = [];
    for (const call of calls) {
      call.timer?.cancel();
      call.resolve(result);
    }
  }

  #receiveReply(id: number, payload: Uint8Array): void {
    const call = this.#take(id);
    if (call === undefined) return; // timed out earlier: the late reply is ignored
    let reply: unknown;
    try {
      reply = call.method.reply.decode(payload);
    } catch (err) {
      call.reject(err);
      return;
    }
    call.resolve({ ok: true, reply });
  }

  #receiveError(id: number, payload: Uint8Array): void {
    // Decode before taking the call: a malformed error frame closes the connection, and the
    // call then resolves `dropped` like the others on it.
    const info = decodeRemoteError(payload, this.#source);
    const call = this.#take(id);
    if (call !== undefined) call.reject(remoteErrorToError(call.method.fullName, info));
  }

  #report(error: Error): void {
    try {
      this.#onError(error);
    } catch {
      // A faulty error listener must not break the end.
    }
  }
}
