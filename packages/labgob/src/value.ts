import type { Codec } from "./codec.js";
import { describe, Fault, keySegment, toCodecError, within } from "./fault.js";
import { KeyOrder } from "./key-order.js";
import type { KindImpl } from "./kind.js";
import { isPlainObject, setOwn } from "./plain.js";
import {
  readBool,
  readBytes,
  readDouble,
  readLength,
  readSintNumber,
  readString,
  readVarint32,
  type Source,
  sourceOf,
} from "./reader.js";
import { encodeWith, type Writer, writeDouble, writeSint, writeString } from "./writer.js";

/**
 * An arbitrary command value: what the course passes as `interface{}`. JSON-like data plus
 * `Uint8Array` and `bigint`. Objects must be plain (prototype `Object.prototype` or `null`).
 */
export type Value =
  | null
  | boolean
  | number
  | string
  | bigint
  | Uint8Array
  | Value[]
  | { [key: string]: Value };

/** Deepest nesting of arrays and objects a `Value` may have, on encode and on decode. */
export const MAX_VALUE_DEPTH = 100;

// Wire format: a Value is a protobuf message with exactly one of these fields (a oneof).
// Field numbers are part of the format: never renumber.
const NULL = (1 << 3) | 0; // varint 0
const BOOL = (2 << 3) | 0; // varint 0 or 1
const INT = (3 << 3) | 0; // sint64: safe integers other than -0
const DOUBLE = (4 << 3) | 1; // every other number: fractions, -0, NaN, infinities, huge
const STRING = (5 << 3) | 2;
const BYTES = (6 << 3) | 2;
const BIGINT = (7 << 3) | 2; // sign byte (0 or 1), then the magnitude big-endian, minimal
const LIST = (8 << 3) | 2; // ValueList { repeated Value items = 1; }
const OBJECT = (9 << 3) | 2; // ValueObject { repeated Entry entries = 1; }
const ITEM = (1 << 3) | 2; // ValueList.items, ValueObject.entries
const KEY = (1 << 3) | 2; // Entry.key
const ENTRY_VALUE = (2 << 3) | 2; // Entry.value

/** Internal: writes a value (validating it) as a Value message body. */
function writeValue(w: Writer, v: unknown, stack: unknown[]): void {
  switch (typeof v) {
    case "number":
      if (Number.isSafeInteger(v) && !(v === 0 && 1 / v < 0)) {
        w.uint32(INT);
        writeSint(w, v);
      } else {
        w.uint32(DOUBLE);
        writeDouble(w, v);
      }
      return;
    case "string":
      w.uint32(STRING);
      writeString(w, v);
      return;
    case "boolean":
      w.uint32(BOOL);
      w.uint32(v ? 1 : 0);
      return;
    case "bigint":
      w.uint32(BIGINT);
      w.bytes(bigintToBytes(v));
      return;
    case "object":
      if (v === null) {
        w.uint32(NULL);
        w.uint32(0);
      } else if (v instanceof Uint8Array) {
        w.uint32(BYTES);
        w.bytes(v);
      } else if (Array.isArray(v)) {
        enter(v, stack);
        w.uint32(LIST);
        w.fork();
        writeList(w, v, stack);
        w.ldelim();
        stack.pop();
      } else if (isPlainObject(v)) {
        enter(v, stack);
        w.uint32(OBJECT);
        w.fork();
        writeObject(w, v, stack);
        w.ldelim();
        stack.pop();
      } else {
        throw new Fault(
          `expected a Value, got ${describe(v)} (objects must be plain objects, arrays or Uint8Array)`,
        );
      }
      return;
    default:
      throw new Fault(`expected a Value, got ${describe(v)}`);
  }
}

function enter(v: object, stack: unknown[]): void {
  if (stack.includes(v)) throw new Fault("cyclic value: this object contains itself");
  if (stack.length >= MAX_VALUE_DEPTH) {
    throw new Fault(`value is nested deeper than ${MAX_VALUE_DEPTH} levels`);
  }
  stack.push(v);
}

function writeList(w: Writer, list: unknown[], stack: unknown[]): void {
  if (Object.getPrototypeOf(list) !== Array.prototype) {
    throw new Fault(`expected a Value, got ${describe(list)} (an Array subclass)`);
  }
  let i = 0;
  try {
    for (; i < list.length; i++) {
      w.uint32(ITEM);
      w.fork();
      writeValue(w, list[i], stack);
      w.ldelim();
    }
  } catch (e) {
    throw within(e, `[${i}]`);
  }
}

function writeObject(w: Writer, obj: Record<string, unknown>, stack: unknown[]): void {
  for (const key of Object.keys(obj)) {
    try {
      w.uint32(ITEM);
      w.fork();
      // Entry.key is a plain proto3 string: left off the wire when empty, as protobuf does.
      if (key !== "") {
        w.uint32(KEY);
        writeString(w, key);
      }
      w.uint32(ENTRY_VALUE);
      w.fork();
      writeValue(w, obj[key], stack);
      w.ldelim();
      w.ldelim();
    } catch (e) {
      throw within(e, keySegment(key));
    }
  }
}

/** Sign byte then big-endian magnitude without leading zeros; zero is the single byte 0. */
function bigintToBytes(v: bigint): Uint8Array {
  const negative = v < 0n;
  const magnitude = negative ? -v : v;
  if (magnitude === 0n) return Uint8Array.of(0);
  let hex = magnitude.toString(16);
  if (hex.length % 2 === 1) hex = "0" + hex;
  const out = new Uint8Array(1 + hex.length / 2);
  out[0] = negative ? 1 : 0;
  for (let i = 1; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i - 2, 2 * i), 16);
  return out;
}

function bytesToBigint(b: Uint8Array): bigint {
  const sign = b[0];
  if (sign === undefined || sign > 1) throw new Fault("bigint must start with a sign byte 0 or 1");
  if (b.length === 1) {
    if (sign === 1) throw new Fault("bigint -0 (non-canonical encoding)");
    return 0n;
  }
  if (b[1] === 0)
    throw new Fault("bigint magnitude has a leading zero byte (non-canonical encoding)");
  let hex = "0x";
  for (let i = 1; i < b.length; i++) hex += b[i]!.toString(16).padStart(2, "0");
  const magnitude = BigInt(hex);
  return sign === 1 ? -magnitude : magnitude;
}

/** Internal: reads one Value message body spanning up to `s.end`. */
function readValue(s: Source, depth: number): Value {
  const tag = readVarint32(s);
  let v: Value;
  switch (tag) {
    case NULL:
      if (readVarint32(s) !== 0) throw new Fault("null must be encoded as 0");
      v = null;
      break;
    case BOOL:
      v = readBool(s);
      break;
    case INT:
      v = readSintNumber(s);
      break;
    case DOUBLE:
      v = readDouble(s);
      if (Number.isSafeInteger(v) && !(v === 0 && 1 / v < 0)) {
        throw new Fault("safe integer written as a double (non-canonical encoding)");
      }
      break;
    case STRING:
      v = readString(s);
      break;
    case BYTES:
      v = readBytes(s);
      break;
    case BIGINT:
      v = bytesToBigint(readBytes(s));
      break;
    case LIST:
      v = readNested(s, depth, readList);
      break;
    case OBJECT:
      v = readNested(s, depth, readObject);
      break;
    default:
      throw new Fault(
        `Value has no field with tag ${tag} (field ${tag >>> 3}, wire type ${tag & 7})`,
      );
  }
  if (s.pos !== s.end) throw new Fault("Value has more than one kind set");
  return v;
}

function readNested(s: Source, depth: number, body: (s: Source, depth: number) => Value): Value {
  if (depth >= MAX_VALUE_DEPTH)
    throw new Fault(`value is nested deeper than ${MAX_VALUE_DEPTH} levels`);
  const n = readLength(s);
  const outer = s.end;
  s.end = s.pos + n;
  const v = body(s, depth + 1);
  s.end = outer;
  return v;
}

/** Reads the length-delimited Value in the next `n` bytes. */
function readValueRecord(s: Source, depth: number): Value {
  const n = readLength(s);
  if (n === 0) throw new Fault("empty Value (no kind set)");
  const outer = s.end;
  s.end = s.pos + n;
  const v = readValue(s, depth);
  s.end = outer;
  return v;
}

function readList(s: Source, depth: number): Value[] {
  const out: Value[] = [];
  try {
    while (s.pos < s.end) {
      if (readVarint32(s) !== ITEM) throw new Fault("list item must be field 1, length-delimited");
      out.push(readValueRecord(s, depth));
    }
  } catch (e) {
    throw within(e, `[${out.length}]`);
  }
  return out;
}

function readObject(s: Source, depth: number): { [key: string]: Value } {
  const out: { [key: string]: Value } = {};
  const order = new KeyOrder();
  while (s.pos < s.end) {
    if (readVarint32(s) !== ITEM) throw new Fault("object entry must be field 1, length-delimited");
    const n = readLength(s);
    const outer = s.end;
    s.end = s.pos + n;
    let tag = readVarint32(s);
    let key = "";
    if (tag === KEY) {
      key = readString(s);
      if (key === "") throw new Fault("empty key written explicitly (non-canonical encoding)");
    }
    try {
      if (tag === KEY) tag = readVarint32(s);
      order.check(key, out);
      if (tag !== ENTRY_VALUE) {
        throw new Fault(
          "object entry must hold its key (field 1, unless empty), then its value (field 2)",
        );
      }
      const v = readValueRecord(s, depth);
      if (s.pos !== s.end) throw new Fault("object entry has extra fields");
      setOwn(out, key, v);
    } catch (e) {
      throw within(e, keySegment(key));
    }
    s.end = outer;
  }
  return out;
}

/** Internal: the `value` field kind: a length-delimited Value message. */
export const valueKind: KindImpl<Value> = Object.freeze({
  kind: "value",
  wireType: 2,
  packable: false,
  explicit: true,
  protoType: "labgob.Value",
  write(w: Writer, v: unknown): void {
    w.fork();
    writeValue(w, v, []);
    w.ldelim();
  },
  read: (s: Source) => readValueRecord(s, 0),
  isDefault: () => false,
  defaultValue: (): Value => null,
});

const writeRoot = (w: Writer, v: Value) => writeValue(w, v, []);

/**
 * Codec for arbitrary command values (`Value`): what the course passes as `interface{}`.
 *
 * Numbers round-trip exactly, including `-0`, `NaN` and the infinities; bigints of any size;
 * object key order is kept; a `"__proto__"` key decodes as an own property. `undefined`,
 * functions, symbols, class instances (`Date`, `Map`, ...), cycles and nesting deeper than
 * {@link MAX_VALUE_DEPTH} throw `CodecError` naming the path, e.g. `$.entries[3].command.x`.
 */
export const valueCodec: Codec<Value> = Object.freeze({
  name: "Value",
  encode(value: Value): Uint8Array {
    try {
      return encodeWith(value, writeRoot);
    } catch (e) {
      throw toCodecError(e, "Value", "encode");
    }
  },
  decode(bytes: Uint8Array): Value {
    try {
      const s = sourceOf(bytes);
      if (s.end === 0) throw new Fault("empty Value (no kind set)");
      return readValue(s, 0);
    } catch (e) {
      throw toCodecError(e, "Value", "decode");
    }
  },
});
