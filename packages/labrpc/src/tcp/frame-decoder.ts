import {
  COMMON_HEADER_BYTES,
  KIND_ERROR,
  KIND_REPLY,
  KIND_REQUEST,
  LENGTH_BYTES,
} from "./frame.js";
import { FrameCorruptError, FrameTooLargeError } from "./frame-errors.js";

/** How many distinct method names a decoder remembers. */
const MAX_CACHED_METHOD_NAMES = 64;

/**
 * Receives the frames a {@link FrameDecoder} finds. Payloads are plain `Uint8Array` views of the
 * received bytes, never copied; not `Buffer`s, whose `slice` makes views where codecs written for
 * `Uint8Array` expect copies.
 */
export interface FrameSink {
  request(id: number, method: string, payload: Uint8Array): void;
  reply(id: number, payload: Uint8Array): void;
  error(id: number, payload: Uint8Array): void;
}

/**
 * A streaming frame parser: feed it the chunks a socket delivers, in order, and it calls the sink
 * once per complete frame. It handles frames split over many chunks and many frames in one chunk.
 *
 * Cost is linear in the bytes received: a frame that lies inside one chunk is handed on as a view
 * of that chunk (no copy), and a frame that spans chunks is copied once into a buffer of exactly
 * its size, allocated when its length prefix is known. `push` throws {@link FrameTooLargeError}
 * as soon as a length prefix exceeds the limit (without waiting for the body) and
 * {@link FrameCorruptError} for a malformed frame; after a throw the decoder must be discarded,
 * like the connection.
 */
export class FrameDecoder {
  readonly #maxFrameBytes: number;
  readonly #sink: FrameSink;
  readonly #source: string;
  /** Bytes received but not yet part of a complete frame, in order. */
  #chunks: Buffer[] = [];
  #buffered = 0;
  /** Size of the frame being assembled (prefix included), or -1 while its prefix is incomplete. */
  #frameBytes = -1;
  /**
   * Method names seen so far, with their bytes. A connection calls a handful of methods over and
   * over: returning the same string object spares decoding it, and lets the server's method
   * lookup use the hash cached in that string.
   */
  readonly #methodNames: { readonly bytes: Uint8Array; readonly name: string }[] = [];

  /**
   * @param maxFrameBytes largest accepted frame, length prefix included.
   * @param source where the bytes come from, for error messages (e.g. `"from 127.0.0.1:5000"`).
   */
  constructor(maxFrameBytes: number, sink: FrameSink, source: string) {
    this.#maxFrameBytes = maxFrameBytes;
    this.#sink = sink;
    this.#source = source;
  }

  /** Bytes held while waiting for the rest of a frame. */
  get bufferedBytes(): number {
    return this.#buffered;
  }

  /** Parses `chunk`, calling the sink for each frame it completes. */
  push(chunk: Buffer): void {
    if (this.#buffered === 0) {
      this.#parseChunk(chunk);
      return;
    }
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    if (this.#frameBytes < 0) {
      if (this.#buffered < LENGTH_BYTES) return;
      this.#frameBytes = this.#checkedFrameBytes(this.#peekLength());
    }
    if (this.#buffered < this.#frameBytes) return;
    // The frame is complete and spans chunks: copy it once; whatever follows it can only be in
    // the chunk just pushed (the frame was incomplete before), so parse that tail directly.
    const frame = Buffer.allocUnsafe(this.#frameBytes);
    let filled = 0;
    let tail: Buffer | null = null;
    for (const part of this.#chunks) {
      const take = Math.min(part.length, frame.length - filled);
      part.copy(frame, filled, 0, take);
      filled += take;
      if (take < part.length) tail = part.subarray(take);
    }
    this.#chunks = [];
    this.#buffered = 0;
    this.#frameBytes = -1;
    this.#frame(frame, LENGTH_BYTES, frame.length);
    if (tail !== null) this.#parseChunk(tail);
  }

  /**
   * Call when the stream ended: returns the error describing an incomplete frame left behind, or
   * null when the stream ended on a frame boundary.
   */
  finish(): FrameCorruptError | null {
    if (this.#buffered === 0) return null;
    const expected = this.#frameBytes < 0 ? "a length prefix" : `${this.#frameBytes} bytes`;
    return new FrameCorruptError(
      `connection ${this.#source} ended inside a frame (${this.#buffered} bytes of ${expected} received)`,
    );
  }

  /** Parses every complete frame of `chunk` in place and keeps the incomplete rest. */
  #parseChunk(chunk: Buffer): void {
    let offset = 0;
    while (chunk.length - offset >= LENGTH_BYTES) {
      const frameBytes = this.#checkedFrameBytes(chunk.readUInt32BE(offset));
      if (chunk.length - offset < frameBytes) break;
      this.#frame(chunk, offset + LENGTH_BYTES, offset + frameBytes);
      offset += frameBytes;
    }
    if (offset === chunk.length) return;
    const rest = offset === 0 ? chunk : chunk.subarray(offset);
    this.#chunks.push(rest);
    this.#buffered = rest.length;
    this.#frameBytes =
      rest.length >= LENGTH_BYTES ? this.#checkedFrameBytes(rest.readUInt32BE(0)) : -1;
  }

  /** Reads the length prefix when it is split across chunks. */
  #peekLength(): number {
    let value = 0;
    let needed = LENGTH_BYTES;
    for (const part of this.#chunks) {
      for (let i = 0; i < part.length && needed > 0; i++, needed--) {
        value = value * 256 + (part[i] as number);
      }
      if (needed === 0) break;
    }
    return value;
  }

  #checkedFrameBytes(length: number): number {
    const frameBytes = LENGTH_BYTES + length;
    if (frameBytes > this.#maxFrameBytes) {
      throw new FrameTooLargeError(frameBytes, this.#maxFrameBytes, this.#source);
    }
    if (length < COMMON_HEADER_BYTES) {
      throw new FrameCorruptError(
        `frame ${this.#source} announces ${length} bytes, fewer than its ${COMMON_HEADER_BYTES}-byte header`,
      );
    }
    return frameBytes;
  }

  /** Decodes the frame whose body (after the length prefix) is `buf[start, end)`. */
  #frame(buf: Buffer, start: number, end: number): void {
    const kind = buf[start];
    const id = buf.readUInt32BE(start + 1);
    const body = start + COMMON_HEADER_BYTES;
    switch (kind) {
      case KIND_REQUEST: {
        if (end - body < 2) throw this.#corrupt(`request ${id} has no method name length`);
        const nameEnd = body + 2 + buf.readUInt16BE(body);
        if (nameEnd > end) throw this.#corrupt(`request ${id} has a method name past its end`);
        const method = this.#methodName(buf, body + 2, nameEnd);
        this.#sink.request(id, method, view(buf, nameEnd, end));
        return;
      }
      case KIND_REPLY:
        this.#sink.reply(id, view(buf, body, end));
        return;
      case KIND_ERROR:
        this.#sink.error(id, view(buf, body, end));
        return;
      default:
        throw this.#corrupt(`unknown frame kind ${kind}`);
    }
  }

  #methodName(buf: Buffer, start: number, end: number): string {
    const length = end - start;
    for (const known of this.#methodNames) {
      const bytes = known.bytes;
      if (bytes.length !== length) continue;
      let i = 0;
      while (i < length && bytes[i] === buf[start + i]) i++;
      if (i === length) return known.name;
    }
    const name = buf.toString("utf8", start, end);
    // Bounded, so a peer sending endless distinct names cannot grow it.
    if (this.#methodNames.length < MAX_CACHED_METHOD_NAMES) {
      this.#methodNames.push({ bytes: new Uint8Array(buf.subarray(start, end)), name });
    }
    return name;
  }

  #corrupt(what: string): FrameCorruptError {
    return new FrameCorruptError(`malformed frame ${this.#source}: ${what}`);
  }
}

/** `buf[start, end)` as a plain `Uint8Array` sharing its memory. */
function view(buf: Buffer, start: number, end: number): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset + start, end - start);
}
