import type { ConnectionOptions, TlsOptions } from "node:tls";
import type { Clock } from "../clock.js";
import { RpcUsageError } from "../errors.js";
import type { BackoffOptions } from "./backoff.js";
import { DEFAULT_MAX_FRAME_BYTES, MAX_MAX_FRAME_BYTES, MIN_MAX_FRAME_BYTES } from "./frame.js";

/** Options shared by both sides of a TCP connection. */
export interface TcpCommonOptions {
  /**
   * Largest frame accepted or sent, 4-byte length prefix and header included
   * (default 16 MiB). A peer announcing a larger frame gets `FrameTooLargeError` and its
   * connection is closed.
   */
  readonly maxFrameBytes?: number;
  /** Disable Nagle's algorithm so small frames leave at once (default true). */
  readonly noDelay?: boolean;
}

/** Options of a {@link TcpServer}. */
export interface TcpServerOptions extends TcpCommonOptions {
  /** Interface to listen on (default `"127.0.0.1"`: reachable from this machine only). */
  readonly host?: string;
  /** Port to listen on; 0 (the default) asks the system for a free one. */
  readonly port?: number;
  /** Serve over TLS with these `node:tls` server options (`key`, `cert`, ...). */
  readonly tls?: TlsOptions;
  /**
   * Told about each connection the server closes because of what the peer sent
   * (`FrameTooLargeError`, `FrameCorruptError`) or a failed TLS handshake. The server keeps
   * serving its other connections. Default: ignore.
   */
  readonly onError?: (error: Error, peer: string) => void;
  /** How long `close()` lets in-flight calls finish before dropping them (default 5000 ms). */
  readonly closeGraceMs?: number;
}

/** Options of a {@link TcpClientEnd}. */
export interface TcpClientOptions extends TcpCommonOptions {
  /** Name for traces and errors (default: the address, `"host:port"`). */
  readonly name?: string;
  /**
   * Longest wait for a connection (and TLS handshake) to be established (default 3000 ms).
   * Calls made while connecting wait for it; if it fails they resolve `unreachable`.
   */
  readonly connectTimeoutMs?: number;
  /** Pacing of reconnect attempts after failed connects. */
  readonly backoff?: BackoffOptions;
  /** Connect over TLS with these `node:tls` options (`ca`, `servername`, ...). */
  readonly tls?: ConnectionOptions;
  /** Clock for call timeouts, connect timeouts and backoff (default: a `RealClock`). */
  readonly clock?: Clock;
  /** Uniform random numbers in [0, 1) for backoff jitter (default: a generator seeded from `crypto.getRandomValues`). */
  readonly random?: () => number;
  /**
   * Told when the end closes its connection because of what the server sent
   * (`FrameTooLargeError`, `FrameCorruptError`); the calls in flight on it resolve `dropped`.
   */
  readonly onError?: (error: Error) => void;
}

/** Validates `maxFrameBytes`, applying the default. */
export function resolveMaxFrameBytes(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_FRAME_BYTES;
  if (!Number.isInteger(value) || value < MIN_MAX_FRAME_BYTES || value > MAX_MAX_FRAME_BYTES) {
    throw new RpcUsageError(
      `maxFrameBytes must be an integer in ${MIN_MAX_FRAME_BYTES}..${MAX_MAX_FRAME_BYTES}, got ${value}`,
    );
  }
  return value;
}

/** Validates a non-negative duration in milliseconds, applying the default. */
export function resolveDurationMs(
  name: string,
  value: number | undefined,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !(value >= 0) || value === Number.POSITIVE_INFINITY) {
    throw new RpcUsageError(`${name} must be a finite number of milliseconds >= 0, got ${value}`);
  }
  return value;
}
