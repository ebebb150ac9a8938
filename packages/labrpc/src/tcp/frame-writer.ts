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
 * Payloads up to this size are copied into the tick's batch behind their header; larger ones
 * are handed to the socket as they are (after the batch so far), which spares copying them.
 */
const INLINE_PAYLOAD_BYTES = 16 * 1024;
/** A batch this large is handed over at once instead of waiting for the end of the tick. */
const MAX_BATCH_BYTES = 256 * 1024;

/**
 * Writes frames to one socket, batched per tick. Frames are queued (kind, id, name and payload
 * in parallel arrays, so queueing allocates nothing), and a `process.nextTick` encodes the whole
 * queue into one buffer of exactly the right size and hands it to the socket in one `write`. A
 * burst of calls, or the replies to one chunk of requests, costs one buffer and one system call.
 *
 * Every batch gets a fresh buffer: the socket may hold on to a buffer after `write` returns, so
 * reusing one could change bytes not yet sent.
 *
 * Frames written after the socket was destroyed are dropped silently: their caller already
 * learned (or will learn) that the connection is gone.
 */
export class FrameWriter {
  readonly #socket: Socket;
  readonly #kinds: number[] = [];
  readonly #ids: number[] = [];
  readonly #names: (Uint8Array | null)[] = [];
  readonly #payloads: Uint8Array[] = [];
  /** Size of the queued frames. */
  #queuedBytes = 0;
  #scheduled = false;
  /** Corked for this tick because a large payload was written as its own chunk. */
  #corked = false;

  constructor(socket: Socket) {
    this.#socket = socket;
  }

  /** Writes a request frame for method `name` (its UTF-8 bytes). */
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

  /** Sends everything written so far now, without waiting for the end of the tick. */
  endOfTick(): void {
    this.#scheduled = false;
    this.#flush();
    if (this.#corked) {
      this.#corked = false;
      this.#socket.uncork();
    }
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
    if (payload.length <= INLINE_PAYLOAD_BYTES) {
      this.#kinds.push(kind);
      this.#ids.push(id);
      this.#names.push(name);
      this.#payloads.push(payload);
      this.#queuedBytes += frameBytes;
      if (this.#queuedBytes >= MAX_BATCH_BYTES) this.#flush();
    } else {
      // Frames before this one leave first; then its header and payload go out as two chunks
      // of one writev at the end of the tick.
      this.#flush();
      if (!this.#corked) {
        this.#corked = true;
        socket.cork();
      }
      const headerBytes = name === null ? REPLY_HEADER_BYTES : REQUEST_HEADER_BYTES + name.length;
      const header = Buffer.allocUnsafe(headerBytes);
      writeHeader(header, 0, frameBytes, kind, id, name);
      socket.write(header);
      socket.write(payload);
    }
    if (!this.#scheduled) {
      this.#scheduled = true;
      process.nextTick(endOfTick, this);
    }
  }

  /** Encodes the queued frames into one buffer and writes it. */
  #flush(): void {
    const count = this.#kinds.length;
    if (count === 0) return;
    const batch = Buffer.allocUnsafe(this.#queuedBytes);
    let offset = 0;
    for (let i = 0; i < count; i++) {
      const payload = this.#payloads[i] as Uint8Array;
      const name = this.#names[i] as Uint8Array | null;
      const frameBytes =
        name === null
          ? replyFrameBytes(payload.length)
          : requestFrameBytes(name.length, payload.length);
      const kind = this.#kinds[i] as number;
      offset = writeHeader(batch, offset, frameBytes, kind, this.#ids[i] as number, name);
      batch.set(payload, offset);
      offset += payload.length;
    }
    this.#kinds.length = 0;
    this.#ids.length = 0;
    this.#names.length = 0;
    this.#payloads.length = 0;
    this.#queuedBytes = 0;
    const socket = this.#socket;
    if (!socket.destroyed && socket.writable) socket.write(batch);
  }
}

function endOfTick(writer: FrameWriter): void {
  writer.endOfTick();
}
