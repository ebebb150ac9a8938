/**
 * The labrpc TCP wire format. Every frame is
 *
 * ```text
 * length  u32 BE   bytes that follow this field (so a frame is 4 + length bytes)
 * kind    u8       1 = request, 2 = reply, 3 = error
 * id      u32 BE   request id, chosen by the client, echoed by the server
 * request: nameLength u16 BE, name (ASCII, e.g. "Raft.AppendEntries"), payload
 * reply:   payload (the reply encoded by the method's reply codec)
 * error:   payload (UTF-8 JSON: {"code", "message", "known"?})
 * ```
 *
 * Payloads are opaque bytes: the transport never re-encodes what the codecs produced.
 */

/** Bytes of the length prefix. */
export const LENGTH_BYTES = 4;
/** Bytes of kind + id, present in every frame after the length prefix. */
export const COMMON_HEADER_BYTES = 5;
/** Bytes before a reply's or an error's payload, length prefix included. */
export const REPLY_HEADER_BYTES = LENGTH_BYTES + COMMON_HEADER_BYTES;
/** Bytes before a request's method name, length prefix included. */
export const REQUEST_HEADER_BYTES = REPLY_HEADER_BYTES + 2;

/** Frame kind: a call from client to server. */
export const KIND_REQUEST = 1;
/** Frame kind: a successful reply from server to client. */
export const KIND_REPLY = 2;
/** Frame kind: a failed call (unknown method, handler error), from server to client. */
export const KIND_ERROR = 3;

/** Default largest frame, length prefix included: 16 MiB. */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
/** The smallest `maxFrameBytes` accepted: room for a header and a short method name. */
export const MIN_MAX_FRAME_BYTES = 1024;
/** The largest `maxFrameBytes` the u32 length prefix can express. */
export const MAX_MAX_FRAME_BYTES = LENGTH_BYTES + 0xffff_ffff;
/** The longest method name a request header can carry (u16 length). */
export const MAX_METHOD_NAME_BYTES = 0xffff;

/** Request ids are u32 and wrap around. */
export const MAX_REQUEST_ID = 0xffff_ffff;

/** Size of a request frame carrying `nameBytes` of method name and `payloadBytes` of payload. */
export function requestFrameBytes(nameBytes: number, payloadBytes: number): number {
  return REQUEST_HEADER_BYTES + nameBytes + payloadBytes;
}

/** Size of a reply or error frame carrying `payloadBytes` of payload. */
export function replyFrameBytes(payloadBytes: number): number {
  return REPLY_HEADER_BYTES + payloadBytes;
}

/**
 * Writes the header of a frame of `frameBytes` bytes into `target` at `offset` (the length
 * prefix, kind and id; a request's name length and name too) and returns the payload's offset.
 */
export function writeHeader(
  target: Buffer,
  offset: number,
  frameBytes: number,
  kind: number,
  id: number,
  name: Uint8Array | null,
): number {
  // Plain byte stores: this runs once per frame, and Buffer's checked writers cost more.
  const length = frameBytes - LENGTH_BYTES;
  target[offset] = length >>> 24;
  target[offset + 1] = length >>> 16;
  target[offset + 2] = length >>> 8;
  target[offset + 3] = length;
  target[offset + 4] = kind;
  target[offset + 5] = id >>> 24;
  target[offset + 6] = id >>> 16;
  target[offset + 7] = id >>> 8;
  target[offset + 8] = id;
  if (name === null) return offset + REPLY_HEADER_BYTES;
  target[offset + 9] = name.length >>> 8;
  target[offset + 10] = name.length;
  target.set(name, offset + REQUEST_HEADER_BYTES);
  return offset + REQUEST_HEADER_BYTES + name.length;
}
