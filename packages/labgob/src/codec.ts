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
  /**
   * A fresh value from a complete encoding; never a partial one. Throws `CodecError`. With
   * `options.owned`, `bytes` fields may be views of `bytes` instead of copies.
   */
  decode(bytes: Uint8Array, options?: DecodeOptions): T;
}

/** Options of {@link Codec.decode}. */
export interface DecodeOptions {
  /**
   * The caller hands the input over: nobody writes to it afterwards. Decoded `bytes` fields
   * are then views of it (no copy), which keep the whole input alive while any is held.
   * Default `false`: every `bytes` field is a copy, so the input may be reused at once.
   */
  readonly owned?: boolean;
}

/** The value type a codec carries. */
export type CodecType<C> = C extends Codec<infer T> ? T : never;
