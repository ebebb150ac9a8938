import type { Cardinality, Field, FieldImpl, Kind, KindImpl } from "./kind.js";
import { type MessageCodec, messageKind } from "./message.js";
import {
  bigintKind,
  boolKind,
  bytesKind,
  doubleKind,
  EnumKind,
  intKind,
  stringKind,
  uintKind,
} from "./scalars.js";
import { SchemaError } from "./schema-error.js";
import { type Value, valueKind } from "./value.js";

/** Makes a kind (no argument) or a plain field of that kind (with a field number). */
export interface KindBuilder<T> {
  /** The kind, for use inside `field.repeated`, `field.optional` or `field.map`. */
  (): Kind<T>;
  /** A plain field with protobuf field number `id`. */
  (id: number): Field<T>;
}

class FieldSpec implements FieldImpl {
  readonly kind: string;
  constructor(
    readonly impl: KindImpl,
    readonly id: number,
    readonly cardinality: Cardinality,
    readonly optional: boolean,
  ) {
    this.kind = impl.kind;
    Object.freeze(this);
  }
}

function plain<T>(impl: KindImpl, id: number | undefined): Field<T> | Kind<T> {
  return id === undefined
    ? (impl as unknown as Kind<T>)
    : (new FieldSpec(impl, id, "single", false) as unknown as Field<T>);
}

function builder<T>(impl: KindImpl<T>): KindBuilder<T> {
  return ((id?: number) => plain<T>(impl, id)) as KindBuilder<T>;
}

function elementOf(kind: Kind<unknown>, wrapper: string): KindImpl {
  if (kind instanceof FieldSpec) {
    throw new SchemaError(
      `field.${wrapper} takes a kind without a field number, e.g. field.${wrapper}(field.uint(), 3)`,
    );
  }
  const impl = kind as unknown as Partial<KindImpl>;
  if (typeof impl.write !== "function" || typeof impl.read !== "function") {
    throw new SchemaError(`field.${wrapper} expects a kind made by field.*()`);
  }
  return impl as KindImpl;
}

function makeEnum<const V extends readonly [string, ...string[]]>(values: V): EnumKind<V[number]> {
  if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== "string")) {
    throw new SchemaError("field.enum expects a non-empty array of strings");
  }
  if (new Set(values).size !== values.length) {
    throw new SchemaError(`field.enum has a duplicate member: ${values.join(", ")}`);
  }
  return new EnumKind<V[number]>([...values]);
}

/** Makes an enum kind (no number) or an enum field (with a number). */
function enumField<const V extends readonly [string, ...string[]]>(values: V): Kind<V[number]>;
function enumField<const V extends readonly [string, ...string[]]>(
  values: V,
  id: number,
): Field<V[number]>;
function enumField<const V extends readonly [string, ...string[]]>(
  values: V,
  id?: number,
): Kind<V[number]> | Field<V[number]> {
  return plain<V[number]>(makeEnum(values), id);
}

/** Makes a nested-message kind (no number) or a nested-message field (with a number). */
function messageField<T>(codec: MessageCodec<T>): Kind<T>;
function messageField<T>(codec: MessageCodec<T>, id: number): Field<T>;
function messageField<T>(codec: MessageCodec<T>, id?: number): Kind<T> | Field<T> {
  return plain<T>(messageKind(codec) as unknown as KindImpl, id);
}

/**
 * Field constructors for {@link message}. Each scalar takes an optional protobuf field number:
 * with it, a plain field; without it, a kind to wrap in `repeated`, `optional` or `map`.
 *
 * A plain field is always present in decoded messages (its default, `0`, `""`, `false`, empty
 * bytes, when it was left off the wire), and must be present (not `undefined`) to encode.
 */
export const field = Object.freeze({
  /** A safe integer (`Number.isSafeInteger`); zigzag `sint64` on the wire. */
  int: builder(intKind),
  /** A non-negative safe integer; `uint64` on the wire. */
  uint: builder(uintKind),
  /** Any number, `-0`, `NaN` and infinities included; `double` on the wire. */
  double: builder(doubleKind),
  /** A boolean; `bool` on the wire. */
  bool: builder(boolKind),
  /** A string without lone surrogates; UTF-8 `string` on the wire. */
  string: builder(stringKind),
  /** A `Uint8Array`; decoded as a copy, never a view of the input. */
  bytes: builder(bytesKind),
  /** A bigint in the int64 range; zigzag `sint64` on the wire. */
  bigint: builder(bigintKind),
  /** An arbitrary {@link Value}; a nested `labgob.Value` message on the wire. */
  value: builder<Value>(valueKind),
  /** One of the given strings; a protobuf enum (the member's index) on the wire. */
  enum: enumField,
  /** A nested message declared with `message()`; always written, required on decode. */
  message: messageField,
  /** An array of `kind`; numeric and bool arrays are packed, as in proto3. */
  repeated<T>(kind: Kind<T>, id: number): Field<T[]> {
    const impl = elementOf(kind, "repeated");
    return new FieldSpec(impl, id, "repeated", false) as unknown as Field<T[]>;
  },
  /**
   * A field that may be absent: its key is optional, and an absent (or `undefined`) value is
   * distinguished from a present default on the wire (proto3 `optional`).
   */
  optional<T>(kind: Kind<T>, id: number): Field<T, true> {
    const impl = elementOf(kind, "optional");
    return new FieldSpec(impl, id, "optional", true) as unknown as Field<T, true>;
  },
  /** A string-keyed map, as a plain object; a protobuf `map<string, V>` on the wire. */
  map<T>(kind: Kind<T>, id: number): Field<Record<string, T>> {
    const impl = elementOf(kind, "map");
    return new FieldSpec(impl, id, "map", false) as unknown as Field<Record<string, T>>;
  },
});
