import type { Codec, DecodeOptions } from "./codec.js";
import { generateBody } from "./codegen.js";
import { describe, Fault, keySegment, toCodecError, within } from "./fault.js";
import { KeyOrder } from "./key-order.js";
import type { Cardinality, Field, FieldImpl, Kind, KindImpl } from "./kind.js";
import { readMapEntry, writeMap } from "./map.js";
import { isPlainObject } from "./plain.js";
import type protobuf from "./protobuf.js";
import { readLength, readVarint32, type Source, sourceOf } from "./reader.js";
import { describeMessage, type ProtobufDescriptor, reflectMessage } from "./reflection.js";
import { SchemaError } from "./schema-error.js";
import { encodeWith, type Writer } from "./writer.js";

/** Any field, as accepted by {@link message}. */
export type AnyField = Field<unknown, boolean>;

/** The fields of a message: property name to field. */
export type FieldMap = { readonly [name: string]: AnyField };

type ValueOf<F> = F extends Field<infer T, boolean> ? T : never;
type OptionalKeys<F extends FieldMap> = {
  [K in keyof F]: F[K] extends Field<unknown, true> ? K : never;
}[keyof F];
type RequiredKeys<F extends FieldMap> = Exclude<keyof F, OptionalKeys<F>>;

/**
 * The plain object type of a message with fields `F`: every plain, repeated and map field is a
 * required key; an optional field's key may be absent.
 */
export type MessageShape<F extends FieldMap> = {
  -readonly [K in keyof (Pick<F, RequiredKeys<F>> &
    Partial<Pick<F, OptionalKeys<F>>>)]: K extends OptionalKeys<F>
    ? ValueOf<F[K]> | undefined
    : ValueOf<F[K]>;
};

/** A typed message codec made by {@link message}. Decoding yields plain objects. */
export interface MessageCodec<T> extends Codec<T> {
  /** The message name, e.g. `"AppendEntriesArgs"`. */
  readonly name: string;
  /** The fields as declared. */
  readonly fields: FieldMap;
  /** A fresh message with every non-optional field at its default (0, "", false, [], {}). */
  defaults(): T;
  /**
   * The protobufjs JSON descriptor of this message and the messages it uses (what
   * `pbjs -t json` emits for the equivalent `.proto`); `protobuf.Root.fromJSON` loads it.
   */
  descriptor(): ProtobufDescriptor;
  /**
   * The protobufjs reflection of this message (`protobuf.Type`), built on first call: for
   * tooling and for peers that use protobufjs directly. Its own `encode` and `decode` are not
   * strict; use this codec's for that.
   */
  reflect(): protobuf.Type;
}

/** Internal: the compiled form of a field. */
export interface Slot {
  readonly name: string;
  readonly id: number;
  readonly tag: number;
  readonly card: Cardinality;
  readonly impl: KindImpl;
  /** Wire type expected for this field's records. */
  readonly wire: number;
  /** Repeated scalar written as one packed record. */
  readonly packed: boolean;
  /** A plain field of an explicit kind (message, value): must be on the wire. */
  readonly required: boolean;
  /** May appear in several consecutive records (unpacked repeated, map). */
  readonly multi: boolean;
  /** Tag of the value inside a map entry. */
  readonly entryValueTag: number;
}

const NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const MAX_FIELD_NUMBER = 2 ** 29 - 1;
/** Field numbers below this are looked up in an array, above it in a Map. */
const DENSE_LIMIT = 1024;

/** Internal: the message machinery behind a codec and its `field.message` kind. */
export class CompiledMessage<T = unknown> implements KindImpl<T> {
  readonly wireType = 2;
  readonly packable = false;
  readonly explicit = true;
  readonly kind: string;
  readonly protoType: string;
  /** Fields in declaration order (the key order of decoded objects). */
  readonly declared: readonly Slot[];
  /** Fields in field-number order (the order on the wire). */
  readonly sorted: readonly Slot[];
  private readonly dense: (Slot | undefined)[] = [];
  private readonly sparse = new Map<number, Slot>();
  readonly requiredCount: number;
  /** Plain fields of scalar kinds, which proto3 leaves off the wire when default. */
  private readonly implicit: readonly Slot[];

  constructor(
    readonly name: string,
    readonly fields: FieldMap,
  ) {
    this.kind = name;
    this.protoType = name;
    const slots: Slot[] = [];
    const ids = new Set<number>();
    for (const key of Object.keys(fields)) {
      const f = fields[key] as FieldImpl | undefined;
      if (!(f && typeof f === "object" && "impl" in f && typeof f.id === "number")) {
        throw new SchemaError(
          `message ${name}: field "${key}" is not a field; give it a number, e.g. field.uint(1)`,
        );
      }
      if (!NAME.test(key) || key in Object.prototype) {
        throw new SchemaError(
          `message ${name}: field name "${key}" must be an identifier that is not an Object.prototype property`,
        );
      }
      const id = f.id;
      if (
        !Number.isInteger(id) ||
        id < 1 ||
        id > MAX_FIELD_NUMBER ||
        (id >= 19000 && id <= 19999)
      ) {
        throw new SchemaError(
          `message ${name}: field "${key}" has number ${id}; protobuf allows 1 to ${MAX_FIELD_NUMBER} except 19000 to 19999`,
        );
      }
      if (ids.has(id)) throw new SchemaError(`message ${name}: field number ${id} is used twice`);
      ids.add(id);
      const impl = f.impl;
      const packed = f.cardinality === "repeated" && impl.packable;
      const wire = packed || f.cardinality === "map" ? 2 : impl.wireType;
      slots.push({
        name: key,
        id,
        tag: ((id << 3) | wire) >>> 0,
        card: f.cardinality,
        impl,
        wire,
        packed,
        required: f.cardinality === "single" && impl.explicit,
        multi: (f.cardinality === "repeated" && !packed) || f.cardinality === "map",
        entryValueTag: (2 << 3) | impl.wireType,
      });
    }
    if (!NAME.test(name)) throw new SchemaError(`message name "${name}" must be an identifier`);
    this.declared = slots;
    this.sorted = [...slots].sort((a, b) => a.id - b.id);
    for (const slot of slots) {
      if (slot.id < DENSE_LIMIT) this.dense[slot.id] = slot;
      else this.sparse.set(slot.id, slot);
    }
    this.requiredCount = slots.filter((s) => s.required).length;
    this.implicit = slots.filter((s) => s.card === "single" && !s.required);
    const generated = generateBody<T>(this, {
      writeRepeated,
      readPacked,
      describeField,
    });
    this.writeBody = generated?.write ?? ((w, v) => this.interpretWrite(w, v));
    this.readBody = generated?.read ?? ((s) => this.interpretRead(s));
  }

  /** Validates a message object and writes its fields (no tag, no length). */
  readonly writeBody: (w: Writer, v: unknown) => void;
  /** Reads fields up to `s.end` into a fresh object. */
  readonly readBody: (s: Source) => T;

  /** The reference implementation of `writeBody`, used where code generation is not allowed. */
  interpretWrite(w: Writer, v: unknown): void {
    if (!isPlainObject(v)) throw this.notMessage(v);
    const obj = v as Record<string, unknown>;
    const sorted = this.sorted;
    let present = 0;
    let i = 0;
    try {
      for (; i < sorted.length; i++) {
        const f = sorted[i]!;
        const x = obj[f.name];
        if (x === undefined) {
          if (f.card !== "optional")
            throw new Fault(`missing field (expected ${describeField(f)})`);
          continue;
        }
        present++;
        switch (f.card) {
          case "single":
            if (!f.impl.isDefault(x)) {
              w.uint32(f.tag);
              f.impl.write(w, x);
            }
            break;
          case "optional":
            w.uint32(f.tag);
            f.impl.write(w, x);
            break;
          case "repeated":
            writeRepeated(w, f, x);
            break;
          case "map":
            writeMap(w, f.tag, f.entryValueTag, f.impl, x);
            break;
        }
      }
    } catch (e) {
      throw within(e, `.${sorted[i]!.name}`);
    }
    // Counting keys is cheaper than collecting them; the slow path below runs only when the
    // counts differ, to name the culprit. Symbol-keyed properties are metadata, not data, and
    // are ignored, as JSON.stringify and structuredClone do (looking for them would cost a third
    // of the encoding time).
    let keys = 0;
    for (const _ in obj) keys++;
    if (keys !== present) this.checkKeys(obj);
  }

  /** The fault for a value that is not a plain object. */
  notMessage(v: unknown): Fault {
    return new Fault(`expected message ${this.name} (a plain object), got ${describe(v)}`);
  }

  /** Names the key that made the key count differ: one the schema lacks. */
  checkKeys(obj: Record<string, unknown>): void {
    for (const key of Object.keys(obj)) {
      const slot = this.declared.find((s) => s.name === key);
      if (slot === undefined) {
        throw within(
          new Fault(`${this.name} has no field "${key}"; it would be dropped on the wire`),
          keySegment(key),
        );
      }
    }
  }

  write(w: Writer, v: unknown): void {
    w.fork();
    this.writeBody(w, v);
    w.ldelim();
  }

  read(s: Source): T {
    const n = readLength(s);
    const outer = s.end;
    s.end = s.pos + n;
    const value = this.readBody(s);
    s.end = outer;
    return value;
  }

  /** The reference implementation of `readBody`, used where code generation is not allowed. */
  interpretRead(s: Source): T {
    const out = this.blank();
    let last = 0;
    let seen = 0;
    let f: Slot | undefined;
    let order: KeyOrder | undefined;
    try {
      while (s.pos < s.end) {
        f = undefined;
        const tag = readVarint32(s);
        const id = tag >>> 3;
        const slot = id < DENSE_LIMIT ? this.dense[id] : this.sparse.get(id);
        if (
          slot === undefined ||
          (tag & 7) !== slot.wire ||
          id < last ||
          (id === last && !slot.multi)
        ) {
          throw this.badTag(tag, last);
        }
        f = slot;
        const previous = last;
        last = id;
        switch (f.card) {
          case "single": {
            const x = f.impl.read(s);
            if (f.required) seen++;
            else if (f.impl.isDefault(x)) {
              throw new Fault("default value written explicitly (non-canonical encoding)");
            }
            out[f.name] = x;
            break;
          }
          case "optional":
            out[f.name] = f.impl.read(s);
            break;
          case "repeated":
            if (f.packed) out[f.name] = readPacked(s, f.impl);
            else (out[f.name] as unknown[]).push(f.impl.read(s));
            break;
          case "map":
            // Entries of one map are contiguous, so one KeyOrder per field suffices.
            if (id !== previous || order === undefined) order = new KeyOrder();
            readMapEntry(s, f.entryValueTag, f.impl, out[f.name] as Record<string, unknown>, order);
            break;
        }
      }
    } catch (e) {
      if (f === undefined) throw e;
      const index =
        f.card === "repeated" && !f.packed ? `[${(out[f.name] as unknown[]).length}]` : "";
      throw within(e, `.${f.name}${index}`);
    }
    // Plain scalar fields left off the wire take their defaults now, not up front, so that
    // decoding does not allocate a default (an empty Uint8Array, say) only to overwrite it.
    for (const d of this.implicit)
      if (out[d.name] === undefined) out[d.name] = d.impl.defaultValue();
    if (seen !== this.requiredCount) throw this.missing(out);
    return out as T;
  }

  /** The fault for a decoded object lacking a message or value field, which is always written. */
  missing(out: Record<string, unknown>): Fault {
    const missing = this.declared.find((d) => d.required && out[d.name] === undefined)!;
    return within(
      new Fault(`missing field (a ${describeField(missing)} is always written)`),
      `.${missing.name}`,
    ) as Fault;
  }

  /**
   * The fault for a tag that names no field of this message with that wire type, checked in
   * the interpreter's order: unknown number, then field order, then wire type.
   */
  badTag(tag: number, last: number): Fault {
    const id = tag >>> 3;
    const f = id < DENSE_LIMIT ? this.dense[id] : this.sparse.get(id);
    if (f === undefined) {
      return new Fault(
        `${this.name} has no field number ${id} (wire type ${tag & 7}); peers must share the schema`,
      );
    }
    const reason =
      id < last || (id === last && !f.multi)
        ? orderReason(id, last)
        : `wire type ${tag & 7} where ${f.wire} was expected`;
    return within(new Fault(reason), `.${f.name}`) as Fault;
  }

  /** A fresh object with the keys of every non-optional field in declaration order. */
  private blank(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const d of this.declared) {
      switch (d.card) {
        case "single":
          // A placeholder keeps the key order; decoding or the defaults pass fills it in.
          out[d.name] = undefined;
          break;
        case "repeated":
          out[d.name] = [];
          break;
        case "map":
          out[d.name] = {};
          break;
        case "optional":
          break;
      }
    }
    return out;
  }

  isDefault(): boolean {
    return false;
  }

  defaultValue(): T {
    const out = this.blank();
    for (const d of this.declared) if (d.card === "single") out[d.name] = d.impl.defaultValue();
    return out as T;
  }
}

/** Why field `id` may not follow field `last`. */
export function orderReason(id: number, last: number): string {
  return id === last
    ? "field appears twice (non-canonical encoding)"
    : `field ${id} comes after field ${last}; fields must be in number order (non-canonical encoding)`;
}

/** How a field is named in "missing field" and "expected" messages. */
export function describeField(f: Slot): string {
  switch (f.card) {
    case "repeated":
      return `array of ${f.impl.kind}`;
    case "map":
      return `map of ${f.impl.kind}`;
    default:
      return f.impl.kind;
  }
}

/** Writes a repeated field: one packed record, or one record per element. */
export function writeRepeated(w: Writer, f: Slot, x: unknown): void {
  if (!Array.isArray(x)) throw new Fault(`expected an array of ${f.impl.kind}, got ${describe(x)}`);
  const impl = f.impl;
  const n = x.length;
  let i = 0;
  try {
    if (f.packed) {
      if (n === 0) return;
      w.uint32(f.tag);
      w.fork();
      for (; i < n; i++) impl.write(w, x[i]);
      w.ldelim();
    } else {
      for (; i < n; i++) {
        w.uint32(f.tag);
        impl.write(w, x[i]);
      }
    }
  } catch (e) {
    throw within(e, `[${i}]`);
  }
}

/** Reads a packed repeated field (a non-empty run of elements). */
export function readPacked(s: Source, impl: KindImpl): unknown[] {
  const n = readLength(s);
  if (n === 0) throw new Fault("empty packed field written explicitly (non-canonical encoding)");
  const outer = s.end;
  s.end = s.pos + n;
  const out: unknown[] = [];
  try {
    while (s.pos < s.end) out.push(impl.read(s));
  } catch (e) {
    throw within(e, `[${out.length}]`);
  }
  s.end = outer;
  return out;
}

const codecs = new WeakMap<object, CompiledMessage>();

/** Internal: the compiled message behind a codec made by {@link message}. */
export function compiledOf(codec: MessageCodec<unknown>): CompiledMessage | undefined {
  return codecs.get(codec);
}

/**
 * Declares a message type once; the TypeScript type of its values is inferred from the fields.
 *
 * @example
 * const LogEntry = message("LogEntry", { term: field.uint(1), command: field.bytes(2) });
 * type LogEntry = Infer<typeof LogEntry>; // { term: number; command: Uint8Array }
 * const back = LogEntry.decode(LogEntry.encode({ term: 1, command: new Uint8Array([7]) }));
 *
 * @throws SchemaError for a malformed schema (bad name, duplicate or invalid field number).
 */
export function message<const F extends FieldMap>(
  name: string,
  fields: F,
): MessageCodec<MessageShape<F>> {
  const compiled = new CompiledMessage<MessageShape<F>>(name, fields);
  let reflected: protobuf.Type | undefined;
  const encodeBody = (w: Writer, v: MessageShape<F>) => compiled.writeBody(w, v);
  const codec: MessageCodec<MessageShape<F>> = Object.freeze({
    name,
    fields,
    encode(value: MessageShape<F>): Uint8Array {
      try {
        return encodeWith(value, encodeBody, true);
      } catch (e) {
        throw toCodecError(e, name, "encode");
      }
    },
    decode(bytes: Uint8Array, options?: DecodeOptions): MessageShape<F> {
      try {
        const s = sourceOf(bytes, options?.owned === true);
        // The length prefix makes every truncation detectable: without it, cutting an
        // encoding between two fields would leave a valid, shorter message.
        const n = readVarint32(s);
        if (n !== s.end - s.pos) {
          throw new Fault(
            `length prefix says ${n} byte(s) but ${s.end - s.pos} follow (truncated input or trailing bytes)`,
          );
        }
        return compiled.readBody(s);
      } catch (e) {
        throw toCodecError(e, name, "decode");
      }
    },
    defaults: () => compiled.defaultValue(),
    descriptor: () => describeMessage(compiled as CompiledMessage),
    reflect: () => {
      reflected ??= reflectMessage(compiled as CompiledMessage);
      return reflected;
    },
  });
  codecs.set(codec, compiled as CompiledMessage);
  return codec;
}

/** Internal: the public kind of a compiled message. */
export function messageKind<T>(codec: MessageCodec<T>): Kind<T> {
  const compiled = compiledOf(codec as MessageCodec<unknown>);
  if (compiled === undefined) {
    throw new SchemaError("field.message expects a codec made by message()");
  }
  return compiled as unknown as Kind<T>;
}
