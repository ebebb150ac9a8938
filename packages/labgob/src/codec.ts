/**
 * A codec turns values of one type into bytes and back.
 *
 * `decode(encode(x))` equals `x`. `encode` throws `CodecError` for a value it cannot represent
 * faithfully; `decode` throws `CodecError` for bytes that are not a complete encoding, and never
 * returns a partially filled value.
 */
export interface Codec<T> {
  /** A short name for messages and errors, e.g. `"AppendEntriesArgs"`. */
  readonly name: string;
  /** The bytes of `value`, in a fresh `Uint8Array` the caller owns. Throws `CodecError`. */
  encode(value: T): Uint8Array;
  /** A fresh value from a complete encoding; never a partial one. Throws `CodecError`. */
  decode(bytes: Uint8Array): T;
}

/** The value type a codec carries. */
export type CodecType<C> = C extends Codec<infer T> ? T : never;
