import { isLabError } from "@lab/labgob";
import { BadRequestError, HandlerError, UnknownMethodError } from "../errors.js";
import { FrameCorruptError } from "./frame-errors.js";

/** What an error frame carries: enough for the client to rebuild a typed error. */
export interface RemoteErrorInfo {
  /** The `code` of the server-side error class, e.g. `"LAB_RPC_HANDLER"`. */
  readonly code: string;
  /** For a handler error, the handler's own message; otherwise a description of the failure. */
  readonly message: string;
  /** For an unknown method: the methods the server does have. */
  readonly known?: readonly string[];
}

/**
 * Describes a rejection of `RpcServer.dispatch` for the wire: `UnknownMethodError` with the
 * server's methods, `HandlerError` and its subclass `BadRequestError` (an undecodable request)
 * with the handler-side message. Anything else travels as a handler error whose message names
 * the server-side code.
 */
export function describeDispatchError(err: unknown): RemoteErrorInfo {
  if (isLabError(err, UnknownMethodError)) {
    const unknown = err as UnknownMethodError;
    return { code: UnknownMethodError.code, message: unknown.message, known: unknown.known };
  }
  if (isLabError(err, HandlerError)) {
    const code = isLabError(err, BadRequestError) ? BadRequestError.code : HandlerError.code;
    return { code, message: (err as HandlerError).remoteMessage };
  }
  const code = isLabError(err) ? err.code : "ERROR";
  const message = err instanceof Error ? err.message : String(err);
  return { code: HandlerError.code, message: `server rejected the request (${code}): ${message}` };
}

/** Encodes an error description as the payload of an error frame (JSON: errors are rare). */
export function encodeRemoteError(info: RemoteErrorInfo): Buffer {
  return Buffer.from(JSON.stringify(info), "utf8");
}

/** Decodes an error frame's payload; throws {@link FrameCorruptError} if it is not one. */
export function decodeRemoteError(payload: Uint8Array, source: string): RemoteErrorInfo {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.length).toString());
  } catch {
    parsed = undefined;
  }
  if (typeof parsed === "object" && parsed !== null) {
    const { code, message, known } = parsed as Record<string, unknown>;
    const knownOk =
      known === undefined || (Array.isArray(known) && known.every((k) => typeof k === "string"));
    if (typeof code === "string" && typeof message === "string" && knownOk) {
      return known === undefined ? { code, message } : { code, message, known };
    }
  }
  throw new FrameCorruptError(`malformed error frame ${source}: not a {code, message} object`);
}

/** The error a call on `method` rejects with for an error frame. */
export function remoteErrorToError(method: string, info: RemoteErrorInfo): Error {
  switch (info.code) {
    case UnknownMethodError.code:
      return new UnknownMethodError(method, info.known ?? []);
    case BadRequestError.code:
      return new BadRequestError(method, info.message);
    default:
      return new HandlerError(method, info.message);
  }
}
