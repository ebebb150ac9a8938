import type { Codec, DecodeOptions } from "./codec.js";
import { Fault, toCodecError } from "./fault.js";
import type { KindImpl } from "./kind.js";
import { readVarint32, sourceOf } from "./reader.js";
import {
  bigintKind,
  boolKind,
  bytesKind,
  doubleKind,
  intKind,
  stringKind,
  uintKind,
} from "./scalars.js";
import { type Value, valueCodec } from "./value.js";
import { encodeWith, type Writer } from "./writer.js";

/**
 * A codec for one scalar: a message whose field 1 holds the value, like protobuf's wrapper
 * types (`google.protobuf.Int64Value` and friends), except that the field is always written,
 * even when it is the default: then no strict prefix of an encoding is itself an encoding, and
 * a truncated one is always detected.
 */
function scalarCodec<T>(name: string, impl: KindImpl<T>): Codec<T> {
  const tag = (1 << 3) | impl.wireType;
  const body = (w: Writer, v: T) => {
    w.uint32(tag);
    impl.write(w, v);
  };
  return Object.freeze({
    name,
    encode(value: T): Uint8Array {
      try {
        return encodeWith(value, body);
      } catch (e) {
        throw toCodecError(e, name, "encode");
      }
    },
    decode(bytes: Uint8Array, options?: DecodeOptions): T {
      try {
        const s = sourceOf(bytes, options?.owned === true);
        const t = readVarint32(s);
        if (t !== tag) {
          throw new Fault(`expected field 1 with wire type ${impl.wireType}, got tag ${t}`);
        }
        const v = impl.read(s);
        if (s.pos !== s.end) throw new Fault("trailing bytes after the value");
        return v;
      } catch (e) {
        throw toCodecError(e, name, "decode");
      }
    },
  });
}

const EMPTY = new Uint8Array(0);

/** The codec of "no data": encodes `undefined` as zero bytes, decodes only zero bytes. */
const voidCodec: Codec<void> = Object.freeze({
  name: "void",
  encode(value?: unknown): Uint8Array {
    if (value !== undefined) {
      throw toCodecError(new Fault("expected no value (undefined)"), "void", "encode");
    }
    return new Uint8Array(EMPTY);
  },
  decode(bytes: Uint8Array): void {
    try {
      if (sourceOf(bytes).end !== 0) throw new Fault(`expected no bytes, got ${bytes.length}`);
    } catch (e) {
      throw toCodecError(e, "void", "decode");
    }
  },
});

/**
 * Ready-made codecs for single values, for RPC arguments and replies that are just one scalar
 * (`codecs.int`), nothing at all (`codecs.void`) or an arbitrary value (`codecs.value`). They are
 * as strict as message fields: `codecs.uint.encode(-1)` throws `CodecError`.
 */
export const codecs: {
  readonly int: Codec<number>;
  readonly uint: Codec<number>;
  readonly double: Codec<number>;
  readonly bool: Codec<boolean>;
  readonly string: Codec<string>;
  readonly bytes: Codec<Uint8Array>;
  readonly bigint: Codec<bigint>;
  readonly void: Codec<void>;
  readonly value: Codec<Value>;
} = Object.freeze({
  int: scalarCodec("int", intKind),
  uint: scalarCodec("uint", uintKind),
  double: scalarCodec("double", doubleKind),
  bool: scalarCodec("bool", boolKind),
  string: scalarCodec("string", stringKind),
  bytes: scalarCodec("bytes", bytesKind),
  bigint: scalarCodec("bigint", bigintKind),
  void: voidCodec,
  value: valueCodec,
});
