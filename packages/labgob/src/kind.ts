import type { Source } from "./reader.js";
import type { Writer } from "./writer.js";

/** Type-only marker carrying the TypeScript type of a kind; it never exists at run time. */
declare const valueType: unique symbol;

/**
 * What a field holds: a scalar (`field.uint()`), an enum, a nested message or an arbitrary
 * `Value`. A kind without a field number is used inside `field.repeated`, `field.optional` and
 * `field.map`; `T` is the TypeScript type of its values.
 */
export interface Kind<T> {
  /** The kind's name as used in error messages: `"uint"`, `"string"`, a message name. */
  readonly kind: string;
  /** Type-level only (never set): the value type. */
  readonly [valueType]?: T;
}

/** How a field is present in its message. */
export type Cardinality = "single" | "optional" | "repeated" | "map";

/**
 * A field of a message: a kind, a protobuf field number and a cardinality. `Opt` is `true` for
 * `field.optional(...)`, whose key may be absent.
 */
export interface Field<T, Opt extends boolean = false> extends Kind<T> {
  /** Protobuf field number, unique within its message (1 to 2^29 - 1, not 19000 to 19999). */
  readonly id: number;
  readonly cardinality: Cardinality;
  /** Whether the field may be absent (`field.optional`); its key is then optional. */
  readonly optional: Opt;
}

/** Protobuf wire types we write: varint, 64-bit, length-delimited. */
export type WireType = 0 | 1 | 2;

/**
 * Internal: the behaviour behind a `Kind`. Every public kind object is one of these.
 *
 * `write` validates and writes in one go (the encoding is thrown away if anything later fails),
 * `read` reads what `write` wrote. Neither handles the field tag.
 */
export interface KindImpl<T = unknown> {
  readonly kind: string;
  readonly wireType: WireType;
  /** Numeric scalars are written packed in repeated fields, as proto3 does. */
  readonly packable: boolean;
  /**
   * Messages and values have no proto3 default: a plain field of such a kind is always written,
   * and decoding fails if it is missing. Scalars are left off the wire when default.
   */
  readonly explicit: boolean;
  /** Protobuf type name for reflection (`"sint64"`, ...), or the nested reflection source. */
  readonly protoType: string;
  /** Validates `v` (throwing a `Fault`) and writes it without a tag. */
  write(w: Writer, v: unknown): void;
  /** Reads one value written by `write`. */
  read(s: Source): T;
  /**
   * True when `v` is this kind's default, which proto3 leaves off the wire for a plain field.
   * False for invalid values, so that `write` gets to report them. Kinds that are always
   * written (messages, values) return false.
   */
  isDefault(v: unknown): boolean;
  /** A fresh default value, for plain fields absent from the wire. */
  defaultValue(): T;
}

/** Internal: a field as compiled into its message. */
export interface FieldImpl extends Field<unknown, boolean> {
  readonly impl: KindImpl;
}
