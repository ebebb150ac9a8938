import type { Codec } from "@lab/labgob";
import { LabError } from "@lab/labgob";
import { defineService } from "../method.js";

/**
 * The service the transport compliance cases call. Its codecs are written here, on purpose
 * independent of labgob's schema codecs, so the suite checks a transport and nothing else.
 */

/** A probe call: `id` identifies the call, the handler waits `delayMs`, then echoes `payload`. */
export interface ProbeRequest {
  readonly id: number;
  readonly delayMs: number;
  readonly payload: Uint8Array;
}

/** A probe reply: the request's `id` and `payload`. */
export interface ProbeReply {
  readonly id: number;
  readonly payload: Uint8Array;
}

/** The error a probe codec throws for bytes it cannot decode. */
export class ProbeDecodeError extends LabError {
  static override readonly code: string = "LAB_RPC_PROBE_DECODE";
}

/** The error {@link refusingTextCodec} throws for a value it will not encode. */
export class ProbeEncodeError extends LabError {
  static override readonly code: string = "LAB_RPC_PROBE_ENCODE";
}

/** `u32 id, u32 delayMs, payload`. */
export const probeRequestCodec: Codec<ProbeRequest> = {
  name: "ProbeRequest",
  encode(value) {
    const out = new Uint8Array(8 + value.payload.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, value.id);
    view.setUint32(4, value.delayMs);
    out.set(value.payload, 8);
    return out;
  },
  decode(bytes) {
    if (bytes.length < 8)
      throw new ProbeDecodeError(`ProbeRequest needs 8 bytes, got ${bytes.length}`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    return { id: view.getUint32(0), delayMs: view.getUint32(4), payload: copy(bytes, 8) };
  },
};

/** `u32 id, payload`. */
export const probeReplyCodec: Codec<ProbeReply> = {
  name: "ProbeReply",
  encode(value) {
    const out = new Uint8Array(4 + value.payload.length);
    new DataView(out.buffer).setUint32(0, value.id);
    out.set(value.payload, 4);
    return out;
  },
  decode(bytes) {
    if (bytes.length < 4)
      throw new ProbeDecodeError(`ProbeReply needs 4 bytes, got ${bytes.length}`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    return { id: view.getUint32(0), payload: copy(bytes, 4) };
  },
};

/** UTF-8 text. */
export const textCodec: Codec<string> = {
  name: "Text",
  encode: (value) => new TextEncoder().encode(value),
  decode: (bytes) => new TextDecoder("utf-8", { fatal: true }).decode(bytes),
};

/** UTF-8 text, except that it refuses to encode any value containing `"poison"`. */
export const refusingTextCodec: Codec<string> = {
  name: "RefusingText",
  encode(value) {
    if (value.includes("poison")) {
      throw new ProbeEncodeError(`RefusingText cannot encode "${value}"`);
    }
    return textCodec.encode(value);
  },
  decode: textCodec.decode,
};

/** The service every compliance case serves. */
export const Probe = defineService("Probe", {
  /** Waits `delayMs` of transport time, then echoes. */
  Echo: { request: probeRequestCodec, reply: probeReplyCodec },
  /** Waits until the case releases it, then echoes. */
  Hang: { request: probeRequestCodec, reply: probeReplyCodec },
  /** Throws an `Error` carrying the request text. */
  Fail: { request: textCodec, reply: textCodec },
  /** Echoes text; its request codec refuses "poison". */
  Strict: { request: refusingTextCodec, reply: textCodec },
});

/** A method of the `Probe` service that no compliance server registers. */
export const ProbeMissing = defineService("Probe", {
  Missing: { request: textCodec, reply: textCodec },
}).methods.Missing;

/** A fresh `Uint8Array` of `bytes` from `start` (`slice` of a Node `Buffer` would be a view). */
function copy(bytes: Uint8Array, start: number): Uint8Array {
  return new Uint8Array(bytes.subarray(start));
}
