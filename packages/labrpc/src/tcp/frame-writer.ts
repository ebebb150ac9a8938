import type { Socket } from "node:net";
import {
  KIND_ERROR,
  KIND_REPLY,
  KIND_REQUEST,
  REPLY_HEADER_BYTES,
  REQUEST_HEADER_BYTES,
  replyFrameBytes,
  requestFrameBytes,
  writeHeader,
} from "./frame.js";

/**
 * Payloads up to this size are copied behind their header into one buffer (one small allocation,
 * one chunk for the socket); larger ones are written as a separate chunk after the header, which
 * costs a second chunk but spares copying a big payload.
 */
const INLINE_PAYLOAD_BYTES = 8 * 1024;

/**
 * Writes frames to one socket, batching: the first write of a tick corks the socket and a
 * `process.nextTick` uncorks it, so every frame produced in that tick (64 replies resolved by
 * one chunk of requests, or a burst of calls) leaves in one `writev` system call instead of one
 * `write` each. Frames written after the socket was destroyed are dropped silently: their
 * caller already learned (or will learn) that the connection is gone.
 */
export class FrameWriter {
  readonly #socket: Socket;
  #corked = false;

  constructor(socket: Socket) {
    this.#socket = socket;
  }

  /** Writes a request frame for method `name` (ASCII bytes). */
  request(id: number, name: Uint8Array, payload: Uint8Array): void {
    this.#write(KIND_REQUEST, id, name, payload, requestFrameBytes(name.length, payload.length));
  }

  /** Writes a reply frame. */
  reply(id: number, payload: Uint8Array): void {
    this.#write(KIND_REPLY, id, null, payload, replyFrameBytes(payload.length));
  }

  /** Writes an error frame carrying an encoded error description. */
  error(id: number, payload: Uint8Array): void {
    this.#write(KIND_ERROR, id, null, payload, replyFrameBytes(payload.length));
  }

  #write(
    kind: number,
    id: number,
    name: Uint8Array | null,
    payload: Uint8Array,
    frameBytes: number,
  ): void {
    const socket = this.#socket;
    if (socket.destroyed || !socket.writable) return;
    if (!this.#corked) {
      this.#corked = true;
      socket.cork();
      process.nextTick(uncork, this);
    }
    const inline = payload.length <= INLINE_PAYLOAD_BYTES;
    const headerBytes = name === null ? REPLY_HEADER_BYTES : REQUEST_HEADER_BYTES + name.length;
    const buf = Buffer.allocUnsafe(inline ? frameBytes : headerBytes);
    const payloadOffset = writeHeader(buf, 0, frameBytes, kind, id, name);
    if (inline) {
      buf.set(payload, payloadOffset);
      socket.write(buf);
    } else {
      socket.write(buf);
      socket.write(payload);
    }
  }

  /** Releases the batch: everything written this tick goes out now. */
  flush(): void {
    if (!this.#corked) return;
    this.#corked = false;
    this.#socket.uncork();
  }
}

function uncork(writer: FrameWriter): void {
  writer.flush();
}
