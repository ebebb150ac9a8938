import { Fault } from "./fault.js";
import { CANONICAL_NAN_HIGH } from "./writer.js";

/**
 * A strict protobuf wire reader.
 *
 * protobufjs's `Reader` is deliberately lenient: it accepts over-long varints, any varint as a
 * bool, 64-bit values as `Long` objects, and returns bytes fields as views of the input. This
 * reader accepts exactly what our writer produces (the canonical encoding): every varint is
 * minimal, bools are 0 or 1, NaN is the canonical NaN, strings are valid UTF-8, and nothing may
 * be read past `end`. So a decoded value re-encodes to the very same bytes.
 */
export class Source {
  /** Read position. */
  pos = 0;
  /** End of the current length-delimited region (the input's end at top level). */
  end: number;
  /** Scratch outputs of `readVarint64` (unsigned 32-bit halves), to avoid an allocation. */
  lo = 0;
  hi = 0;
  private view: DataView | null = null;

  constructor(
    readonly buf: Uint8Array,
    /** The caller handed `buf` over (`DecodeOptions.owned`): bytes fields may be views of it. */
    readonly owned = false,
  ) {
    this.end = buf.length;
  }

  /** A DataView of the input, created on first use. */
  dataView(): DataView {
    if (this.view === null) {
      this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    }
    return this.view;
  }
}

/**
 * Wraps caller bytes for decoding. A `Buffer` (or other subclass) is viewed as a plain
 * `Uint8Array`, so that `slice` always copies: `Buffer.prototype.slice` returns a view.
 */
export function sourceOf(bytes: Uint8Array, owned = false): Source {
  if (!(bytes instanceof Uint8Array)) {
    throw new Fault(`expected a Uint8Array to decode, got ${typeof bytes}`);
  }
  const plain =
    bytes.constructor === Uint8Array
      ? bytes
      : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return new Source(plain, owned);
}

function truncated(s: Source, need: number): Fault {
  return new Fault(
    `truncated input: needs ${need} more byte(s) at offset ${s.pos}, ${s.end - s.pos} left`,
  );
}

function nonMinimal(): Fault {
  return new Fault("varint has redundant trailing bytes (non-canonical encoding)");
}

/** Reads a varint of at most 32 bits. */
export function readVarint32(s: Source): number {
  const buf = s.buf;
  const end = s.end;
  let pos = s.pos;
  if (pos >= end) throw truncated(s, 1);
  let b = buf[pos++]!;
  if (b < 0x80) {
    s.pos = pos;
    return b;
  }
  let value = b & 0x7f;
  for (let shift = 7; ; shift += 7) {
    if (pos >= end) {
      s.pos = pos;
      throw truncated(s, 1);
    }
    b = buf[pos++]!;
    if (shift === 28) {
      if (b > 0x0f) throw new Fault("varint does not fit in 32 bits");
      if (b === 0) throw nonMinimal();
      s.pos = pos;
      return value + b * 0x10000000;
    }
    value |= (b & 0x7f) << shift;
    if (b < 0x80) {
      if (b === 0) throw nonMinimal();
      s.pos = pos;
      return value;
    }
  }
}

/** Reads a varint of up to 64 bits into `s.lo` and `s.hi`. */
export function readVarint64(s: Source): void {
  const buf = s.buf;
  const end = s.end;
  let pos = s.pos;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) {
      s.pos = pos;
      throw truncated(s, 1);
    }
    const b = buf[pos++]!;
    const bits = b & 0x7f;
    if (i < 4) lo |= bits << (7 * i);
    else if (i === 4) {
      lo |= bits << 28;
      hi = bits >>> 4;
    } else if (i < 9) hi |= bits << (7 * i - 32);
    else if (b > 1) throw new Fault("varint does not fit in 64 bits");
    else hi |= b << 31;
    if (b < 0x80) {
      if (b === 0 && i > 0) throw nonMinimal();
      s.pos = pos;
      s.lo = lo >>> 0;
      s.hi = hi >>> 0;
      return;
    }
  }
  // Unreachable: the tenth byte either ends the varint or fails the `b > 1` check.
  throw new Fault("varint does not fit in 64 bits");
}

const TWO_32 = 2 ** 32;
const SAFE_HI = 2 ** 21; // values below SAFE_HI * 2^32 = 2^53 are safe integers

/** Reads a varint as a non-negative safe integer (protobuf `uint64` decoded to a number). */
export function readUintNumber(s: Source): number {
  const b = s.buf[s.pos];
  if (b !== undefined && b < 0x80 && s.pos < s.end) {
    s.pos++;
    return b;
  }
  readVarint64(s);
  if (s.hi >= SAFE_HI) throw new Fault("integer is larger than Number.MAX_SAFE_INTEGER");
  return s.hi * TWO_32 + s.lo;
}

/** Reads a zigzag varint as a safe integer (protobuf `sint64` decoded to a number). */
export function readSintNumber(s: Source): number {
  const b = s.buf[s.pos];
  if (b !== undefined && b < 0x80 && s.pos < s.end) {
    s.pos++;
    return b & 1 ? -((b + 1) >>> 1) : b >>> 1;
  }
  readVarint64(s);
  const negative = s.lo & 1;
  const lo = ((s.lo >>> 1) | (s.hi << 31)) >>> 0;
  const hi = s.hi >>> 1;
  if (hi >= SAFE_HI) throw new Fault("integer is outside the safe integer range");
  const magnitude = hi * TWO_32 + lo;
  const value = negative ? -magnitude - 1 : magnitude;
  if (!Number.isSafeInteger(value)) throw new Fault("integer is outside the safe integer range");
  return value;
}

/** Reads a zigzag varint as a bigint (protobuf `sint64`). */
export function readSintBig(s: Source): bigint {
  readVarint64(s);
  const zz = (BigInt(s.hi) << 32n) | BigInt(s.lo);
  return zz & 1n ? -(zz >> 1n) - 1n : zz >> 1n;
}

/** Reads a bool, which must be the varint 0 or 1. */
export function readBool(s: Source): boolean {
  const v = readVarint32(s);
  if (v > 1) throw new Fault(`bool must be encoded as 0 or 1, got ${v}`);
  return v === 1;
}

/** Reads a little-endian double; a NaN must be the canonical one. */
export function readDouble(s: Source): number {
  if (s.end - s.pos < 8) throw truncated(s, 8);
  const view = s.dataView();
  const v = view.getFloat64(s.pos, true);
  if (
    Number.isNaN(v) &&
    (view.getUint32(s.pos, true) !== 0 || view.getUint32(s.pos + 4, true) !== CANONICAL_NAN_HIGH)
  ) {
    throw new Fault("NaN is not the canonical NaN (non-canonical encoding)");
  }
  s.pos += 8;
  return v;
}

/** Reads a length prefix and checks that the region fits in what is left. */
export function readLength(s: Source): number {
  const n = readVarint32(s);
  if (n > s.end - s.pos) throw truncated(s, n);
  return n;
}

/** Reads a length-delimited bytes field as a copy, never a view of the input. */
export function readBytes(s: Source): Uint8Array {
  const n = readLength(s);
  const start = s.pos;
  s.pos = start + n;
  return s.owned ? s.buf.subarray(start, start + n) : s.buf.slice(start, start + n);
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const SHORT_STRING = 16;

/** Reads a length-delimited UTF-8 string, rejecting invalid UTF-8. */
export function readString(s: Source): string {
  const n = readLength(s);
  const buf = s.buf;
  const start = s.pos;
  const end = start + n;
  s.pos = end;
  if (n <= SHORT_STRING) {
    // Short ASCII strings (keys, names) are the common case; building them directly is much
    // cheaper than a TextDecoder call.
    let out = "";
    let i = start;
    for (; i < end; i++) {
      const c = buf[i]!;
      if (c >= 0x80) break;
      out += String.fromCharCode(c);
    }
    if (i === end) return out;
  }
  try {
    // `ignoreBOM: true` keeps a leading U+FEFF as part of the string instead of dropping it.
    return utf8.decode(buf.subarray(start, end));
  } catch {
    throw new Fault("string is not valid UTF-8");
  }
}
