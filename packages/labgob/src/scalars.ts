import { describe, Fault } from "./fault.js";
import type { KindImpl, WireType } from "./kind.js";
import {
  readBool,
  readBytes,
  readDouble,
  readSintBig,
  readSintNumber,
  readString,
  readUintNumber,
  readVarint32,
  type Source,
} from "./reader.js";
import {
  isInt64,
  type Writer,
  writeDouble,
  writeSint,
  writeSintBig,
  writeString,
  writeUint,
} from "./writer.js";

function expected(what: string, v: unknown): Fault {
  return new Fault(`expected ${what}, got ${describe(v)}`);
}

interface ScalarSpec<T> {
  kind: string;
  wireType: WireType;
  packable: boolean;
  protoType: string;
  write(w: Writer, v: unknown): void;
  read(s: Source): T;
  isDefault(v: unknown): boolean;
  defaultValue(): T;
}

function scalar<T>(spec: ScalarSpec<T>): KindImpl<T> {
  return Object.freeze({ ...spec, explicit: false });
}

/** Safe integer; zigzag varint (`sint64`) on the wire. `-0` is accepted and decodes as `0`. */
export const intKind: KindImpl<number> = scalar({
  kind: "int",
  wireType: 0,
  packable: true,
  protoType: "sint64",
  write(w, v) {
    if (typeof v !== "number" || !Number.isSafeInteger(v)) {
      throw expected("int (a safe integer)", v);
    }
    writeSint(w, v);
  },
  read: readSintNumber,
  isDefault: (v) => v === 0,
  defaultValue: () => 0,
});

/** Non-negative safe integer; varint (`uint64`) on the wire. */
export const uintKind: KindImpl<number> = scalar({
  kind: "uint",
  wireType: 0,
  packable: true,
  protoType: "uint64",
  write(w, v) {
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
      throw expected("uint (a non-negative safe integer)", v);
    }
    writeUint(w, v);
  },
  read: readUintNumber,
  isDefault: (v) => v === 0,
  defaultValue: () => 0,
});

/** Any number, including `-0`, `NaN` and infinities; 64-bit IEEE 754 on the wire. */
export const doubleKind: KindImpl<number> = scalar({
  kind: "double",
  wireType: 1,
  packable: true,
  protoType: "double",
  write(w, v) {
    if (typeof v !== "number") throw expected("double (a number)", v);
    writeDouble(w, v);
  },
  read: readDouble,
  // Only +0 is the proto3 default: -0 is written, so that it survives the round trip.
  isDefault: (v) => v === 0 && 1 / v > 0,
  defaultValue: () => 0,
});

/** A boolean; varint 0 or 1 on the wire. */
export const boolKind: KindImpl<boolean> = scalar({
  kind: "bool",
  wireType: 0,
  packable: true,
  protoType: "bool",
  write(w, v) {
    if (typeof v !== "boolean") throw expected("bool", v);
    w.bool(v);
  },
  read: readBool,
  isDefault: (v) => v === false,
  defaultValue: () => false,
});

/** A well-formed string (no lone surrogates); UTF-8 on the wire. */
export const stringKind: KindImpl<string> = scalar({
  kind: "string",
  wireType: 2,
  packable: false,
  protoType: "string",
  write(w, v) {
    if (typeof v !== "string") throw expected("string", v);
    writeString(w, v);
  },
  read: readString,
  isDefault: (v) => v === "",
  defaultValue: () => "",
});

/** A `Uint8Array` (a `Buffer` is accepted); decoded as a fresh copy. */
export const bytesKind: KindImpl<Uint8Array> = scalar({
  kind: "bytes",
  wireType: 2,
  packable: false,
  protoType: "bytes",
  write(w, v) {
    if (!(v instanceof Uint8Array)) throw expected("bytes (a Uint8Array)", v);
    w.bytes(v);
  },
  read: readBytes,
  isDefault: (v) => v instanceof Uint8Array && v.length === 0,
  defaultValue: () => new Uint8Array(0),
});

/** A bigint in the int64 range; zigzag varint (`sint64`) on the wire. */
export const bigintKind: KindImpl<bigint> = scalar({
  kind: "bigint",
  wireType: 0,
  packable: true,
  protoType: "sint64",
  write(w, v) {
    if (typeof v !== "bigint" || !isInt64(v)) throw expected("bigint (in the int64 range)", v);
    writeSintBig(w, v);
  },
  read: readSintBig,
  isDefault: (v) => v === 0n,
  defaultValue: () => 0n,
});

/** Internal: an enum of string literals, written as the member's index (a protobuf enum). */
export class EnumKind<V extends string> implements KindImpl<V> {
  readonly kind: string;
  readonly wireType = 0;
  readonly packable = true;
  readonly explicit = false;
  readonly protoType = "enum";
  private readonly index = new Map<unknown, number>();

  constructor(readonly values: readonly V[]) {
    this.kind = values.map((v) => JSON.stringify(v)).join(" | ");
    for (const [i, v] of values.entries()) this.index.set(v, i);
  }

  write(w: Writer, v: unknown): void {
    const i = this.index.get(v);
    if (i === undefined) throw expected(`one of ${this.kind}`, v);
    w.uint32(i);
  }

  read(s: Source): V {
    const i = readVarint32(s);
    const v = this.values[i];
    if (v === undefined)
      throw new Fault(`enum index ${i} is out of range (${this.values.length} members)`);
    return v;
  }

  isDefault(v: unknown): boolean {
    return v === this.values[0];
  }

  defaultValue(): V {
    return this.values[0]!;
  }
}
