import { Fault } from "./fault.js";
import pb from "./protobuf.js";

/** protobufjs's wire writer: a growable buffer with `fork`/`ldelim` for length prefixes. */
export type Writer = InstanceType<typeof pb.Writer>;

// One scratch writer is reused across encodes so that its buffer, once grown to the size of the
// usual message, is never reallocated. Encoding is synchronous; the busy flag only matters if a
// getter on the value being encoded encodes something itself, which then gets its own writer.
let scratch: Writer = pb.Writer.create();
let busy = false;
// A writer that grew past this for one huge message is dropped rather than kept forever.
const KEEP_LIMIT = 1 << 20;

/** Room left in front of a delimited encoding for its length prefix (a varint32). */
const PREFIX_ROOM = 5;

/**
 * Runs `body` with an empty writer and returns a fresh, exactly sized copy of what it wrote,
 * prefixed with its length as a varint when `delimited`. If `body` throws, nothing is
 * returned: callers see either a complete encoding or an error.
 */
export function encodeWith<T>(
  value: T,
  body: (w: Writer, value: T) => void,
  delimited = false,
): Uint8Array {
  const own = !busy;
  const w = own ? scratch : pb.Writer.create();
  // The body is written after room for the prefix, so the prefix never has to be shifted in.
  // (Every writer starts with at least PREFIX_ROOM bytes of buffer.)
  const start = delimited ? PREFIX_ROOM : 0;
  w.pos = start;
  w.states = null;
  busy = true;
  try {
    body(w, value);
    const length = w.pos - start;
    // A plain Uint8Array, not a Buffer or a view into the scratch buffer or a shared pool:
    // the caller may keep, transfer or mutate it freely.
    if (!delimited) return w.finishInto(new Uint8Array(length));
    const prefix = varintSize(length);
    const out = new Uint8Array(prefix + length);
    let n = length;
    let i = 0;
    while (n > 0x7f) {
      out[i++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    out[i] = n;
    out.set(w.buf.subarray(start, w.pos), prefix);
    return out;
  } finally {
    if (own) {
      busy = false;
      if (w.buf.length > KEEP_LIMIT) scratch = pb.Writer.create();
    }
  }
}

/** Bytes taken by `n` (below 2^32) as a varint. */
function varintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}

const TWO_31 = 2 ** 31;
const TWO_32 = 2 ** 32;

/** Writes a safe integer as a zigzag varint (protobuf `sint64`). */
export function writeSint(w: Writer, v: number): void {
  if (v >= -TWO_31 && v < TWO_31) {
    // The 32-bit zigzag fits in a uint32, so no 64-bit arithmetic (and no allocation) is needed.
    w.uint32(((v << 1) ^ (v >> 31)) >>> 0);
  } else {
    w.sint64(v);
  }
}

/** Writes a non-negative safe integer as a varint (protobuf `uint64`). */
export function writeUint(w: Writer, v: number): void {
  if (v < TWO_32) w.uint32(v);
  else w.uint64(v);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const MASK32 = 0xffffffffn;

/** True when `v` fits protobuf `sint64`. */
export function isInt64(v: bigint): boolean {
  return v >= INT64_MIN && v <= INT64_MAX;
}

/** Writes an int64 bigint as a zigzag varint (protobuf `sint64`). */
export function writeSintBig(w: Writer, v: bigint): void {
  const zz = v >= 0n ? v << 1n : (-v << 1n) - 1n;
  const lo = Number(zz & MASK32);
  const hi = Number(zz >> 32n);
  if (hi === 0) w.uint32(lo);
  else w.uint64(new pb.util.Long(lo | 0, hi | 0, true));
}

/**
 * Writes a double. Every NaN is written as the one canonical quiet NaN, so that equal values
 * always have equal encodings (the decoder accepts only that NaN).
 */
export function writeDouble(w: Writer, v: number): void {
  if (Number.isNaN(v)) {
    w.fixed32(0);
    w.fixed32(CANONICAL_NAN_HIGH);
  } else {
    w.double(v);
  }
}

/** High 32 bits of the canonical NaN, 0x7ff8000000000000 (low 32 bits are zero). */
export const CANONICAL_NAN_HIGH = 0x7ff80000;

type WellFormed = (this: string) => boolean;
const nativeWellFormed = (String.prototype as { isWellFormed?: WellFormed }).isWellFormed;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `s` has no lone surrogate, i.e. it has an exact UTF-8 encoding. */
export const isWellFormed: (s: string) => boolean = nativeWellFormed
  ? (s) => nativeWellFormed.call(s)
  : (s) => !LONE_SURROGATE.test(s);

/**
 * Writes a string, refusing lone surrogates: UTF-8 cannot represent them, and protobuf writers
 * would silently substitute U+FFFD, so the value would not survive the round trip.
 */
export function writeString(w: Writer, v: string): void {
  if (!isWellFormed(v))
    throw new Fault("string contains a lone UTF-16 surrogate (not valid UTF-8)");
  w.string(v);
}
