import type { MethodDescriptor } from "./method.js";

/**
 * Why a call got no reply. None of these is an exception: network faults are ordinary outcomes.
 * - `unreachable`: the end is disabled or not connected, or the server is absent or crashed.
 * - `dropped`: the network lost the request or the reply.
 * - `timeout`: the caller's `timeoutMs` passed first.
 * - `server-killed`: the server was deleted while (or before) serving the call.
 * - `closed`: the end or the whole transport was shut down.
 */
export type NoReplyReason = "unreachable" | "dropped" | "timeout" | "server-killed" | "closed";

/** The outcome of a call: a decoded reply, or no reply and why. */
export type CallResult<Rep> =
  | { readonly ok: true; readonly reply: Rep }
  | { readonly ok: false; readonly reason: NoReplyReason };

/** Per-call options of {@link ClientEnd.call}. */
export interface CallOptions {
  /**
   * Give up after this many milliseconds (on the transport's clock: virtual time in the
   * simulator, real time over TCP) and resolve to `{ ok: false, reason: "timeout" }`.
   */
  readonly timeoutMs?: number;
}

/**
 * The client side of the transport contract: one end addressing one server.
 *
 * `call` resolves to a reply or to "no reply"; it never rejects because of the network. It
 * rejects only on programming errors: an argument its codec cannot encode (`CodecError`), a
 * method the server does not have (`UnknownMethodError`), or a handler that threw
 * (`HandlerError`). Calls may run concurrently on one end and may complete in any order.
 */
export interface ClientEnd {
  /** A name for traces and errors. */
  readonly name: string;
  call<Req, Rep>(
    method: MethodDescriptor<Req, Rep>,
    args: Req,
    options?: CallOptions,
  ): Promise<CallResult<Rep>>;
}
