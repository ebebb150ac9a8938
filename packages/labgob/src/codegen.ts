import { Fault, within } from "./fault.js";
import { KeyOrder } from "./key-order.js";
import type { KindImpl } from "./kind.js";
import { readMapEntry, writeMap } from "./map.js";
import type { CompiledMessage, Slot } from "./message.js";
import { isPlainObject } from "./plain.js";
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
  bigintKind,
  boolKind,
  bytesKind,
  doubleKind,
  intKind,
  stringKind,
  uintKind,
} from "./scalars.js";
import type { Writer } from "./writer.js";

/** Generated body functions of one message. */
export interface GeneratedBody<T> {
  write(w: Writer, v: unknown): void;
  read(s: Source): T;
}

/** What message.ts lends the generated code (passed in, to keep the modules acyclic). */
export interface MessageRuntime {
  writeRepeated(w: Writer, f: Slot, x: unknown): void;
  readPacked(s: Source, impl: KindImpl): unknown[];
  describeField(f: Slot): string;
}

let enabled = true;

/**
 * Internal (tests): turns code generation off for messages declared afterwards, so that the
 * interpreter, which is what runs where `new Function` is forbidden, is tested as well.
 */
export function setCodegen(on: boolean): void {
  enabled = on;
}

/** Reader function names for the scalar kinds, in the `R` object below. */
function readerOf(impl: KindImpl): string | undefined {
  if (impl === intKind) return "R.readSintNumber(s)";
  if (impl === uintKind) return "R.readUintNumber(s)";
  if (impl === doubleKind) return "R.readDouble(s)";
  if (impl === boolKind) return "R.readBool(s)";
  if (impl === stringKind) return "R.readString(s)";
  if (impl === bytesKind) return "R.readBytes(s)";
  if (impl === bigintKind) return "R.readSintBig(s)";
  return undefined;
}

/** A JS expression that is true when `x` (already known valid on decode) is the default. */
function defaultTest(impl: KindImpl, i: number, decoded: boolean): string {
  if (impl === intKind || impl === uintKind) return "x === 0";
  if (impl === doubleKind) return "(x === 0 && 1 / x > 0)";
  if (impl === boolKind) return "x === false";
  if (impl === stringKind) return 'x === ""';
  if (impl === bigintKind) return "x === R.ZERO";
  if (impl === bytesKind)
    return decoded ? "x.length === 0" : "(x instanceof Uint8Array && x.length === 0)";
  return `E[${i}].isDefault(x)`;
}

/** A JS expression for the initial value of a field in a fresh decoded object. */
function initial(slot: Slot, i: number): string | undefined {
  switch (slot.card) {
    case "optional":
      return undefined;
    case "repeated":
      return "[]";
    case "map":
      return "{}";
    case "single":
      if (slot.required || slot.impl === bytesKind) return "undefined";
      if (slot.impl === intKind || slot.impl === uintKind || slot.impl === doubleKind) return "0";
      if (slot.impl === boolKind) return "false";
      if (slot.impl === stringKind) return '""';
      if (slot.impl === bigintKind) return "R.ZERO";
      return `E[${i}].defaultValue()`;
  }
}

/**
 * Compiles a message's body writer and reader to straight-line JavaScript, as protobufjs does
 * for its own codecs: each field becomes a `case` with its tag and reader inlined, and property
 * accesses use constant names (`v["term"]`), which V8 turns into fast monomorphic loads and
 * stores instead of the generic keyed accesses the interpreter needs. Generated code holds no
 * caller-controlled text: names are validated identifiers, emitted through `JSON.stringify`,
 * and everything else is numbers or indices into the arrays passed in.
 *
 * Returns undefined where `new Function` is not allowed (a strict Content Security Policy);
 * the message then uses the interpreter, which behaves identically (tests run both).
 */
export function generateBody<T>(
  m: CompiledMessage<T>,
  rt: MessageRuntime,
): GeneratedBody<T> | undefined {
  if (!enabled) return undefined;
  const F = m.sorted;
  const E = F.map((slot) => slot.impl);
  const index = new Map(F.map((slot, i) => [slot, i]));
  const R = {
    ...rt,
    readSintNumber,
    readUintNumber,
    readDouble,
    readBool,
    readString,
    readBytes,
    readSintBig,
    readVarint32,
    readMapEntry,
    writeMap,
    isPlainObject,
    KeyOrder,
    Fault,
    within,
    ZERO: 0n,
    missingField: (f: Slot) => new Fault(`missing field (expected ${rt.describeField(f)})`),
    explicitDefault: () => new Fault("default value written explicitly (non-canonical encoding)"),
    notMessage: (v: unknown) => m.notMessage(v),
    fieldFault(e: unknown, f: number, o: Record<string, unknown>): unknown {
      const slot = F[f];
      if (slot === undefined) return e;
      const at =
        slot.card === "repeated" && !slot.packed ? `[${(o[slot.name] as unknown[]).length}]` : "";
      return within(e, `.${slot.name}${at}`);
    },
  };

  const name = (slot: Slot) => `[${JSON.stringify(slot.name)}]`;
  const w: string[] = [];
  w.push("if (!R.isPlainObject(v)) throw R.notMessage(v);");
  w.push("var f = -1, present = 0, x;");
  w.push("try {");
  F.forEach((slot, i) => {
    w.push(`f = ${i}; x = v${name(slot)};`);
    if (slot.card === "optional") w.push("if (x !== undefined) { present++;");
    else w.push(`if (x === undefined) throw R.missingField(F[${i}]); present++; {`);
    switch (slot.card) {
      case "single":
        w.push(
          `if (!(${defaultTest(slot.impl, i, false)})) { w.uint32(${slot.tag}); E[${i}].write(w, x); }`,
        );
        break;
      case "optional":
        w.push(`w.uint32(${slot.tag}); E[${i}].write(w, x);`);
        break;
      case "repeated":
        w.push(`R.writeRepeated(w, F[${i}], x);`);
        break;
      case "map":
        w.push(`R.writeMap(w, ${slot.tag}, ${slot.entryValueTag}, E[${i}], x);`);
        break;
    }
    w.push("}");
  });
  w.push(`} catch (e) { throw f < 0 ? e : R.within(e, "." + F[f].name); }`);
  // Counting keys is cheaper than collecting them; checkKeys names the culprit when they differ.
  w.push("var keys = 0; for (var k in v) keys++;");
  w.push("if (keys !== present) C.checkKeys(v);");

  const r: string[] = [];
  const fields = m.declared
    .map((slot) => [slot, initial(slot, index.get(slot)!)] as const)
    .filter(([, init]) => init !== undefined)
    .map(([slot, init]) => `${JSON.stringify(slot.name)}: ${init}`);
  r.push(`var o = {${fields.join(", ")}};`);
  r.push("var last = 0, seen = 0, f = -1, order, x, tag, b, buf = s.buf;");
  r.push("try {");
  r.push("while (s.pos < s.end) {");
  r.push(
    "f = -1; b = buf[s.pos]; if (b < 128) { s.pos++; tag = b; } else tag = R.readVarint32(s);",
  );
  r.push("switch (tag) {");
  F.forEach((slot, i) => {
    const read = readerOf(slot.impl) ?? `E[${i}].read(s)`;
    r.push(`case ${slot.tag}:`);
    r.push(
      `if (last ${slot.multi ? ">" : ">="} ${slot.id}) { f = -1; throw C.badTag(tag, last); }`,
    );
    r.push(`f = ${i};`);
    switch (slot.card) {
      case "single":
        if (slot.required) r.push(`o${name(slot)} = ${read}; seen++;`);
        else
          r.push(
            `x = ${read}; if (${defaultTest(slot.impl, i, true)}) throw R.explicitDefault(); o${name(slot)} = x;`,
          );
        break;
      case "optional":
        r.push(`o${name(slot)} = ${read};`);
        break;
      case "repeated":
        r.push(
          slot.packed
            ? `o${name(slot)} = R.readPacked(s, E[${i}]);`
            : `o${name(slot)}.push(${read});`,
        );
        break;
      case "map":
        r.push(`if (last !== ${slot.id} || order === undefined) order = new R.KeyOrder();`);
        r.push(`R.readMapEntry(s, ${slot.entryValueTag}, E[${i}], o${name(slot)}, order);`);
        break;
    }
    r.push(`last = ${slot.id}; break;`);
  });
  r.push("default: f = -1; throw C.badTag(tag, last);");
  r.push("}");
  r.push("}");
  r.push("} catch (e) { throw R.fieldFault(e, f, o); }");
  for (const slot of m.declared) {
    if (slot.card === "single" && slot.impl === bytesKind) {
      r.push(`if (o${name(slot)} === undefined) o${name(slot)} = new Uint8Array(0);`);
    }
  }
  if (m.requiredCount > 0) r.push(`if (seen !== ${m.requiredCount}) throw C.missing(o);`);
  r.push("return o;");

  try {
    const make = new Function(
      "R",
      "F",
      "E",
      "C",
      `"use strict"; return [function write(w, v) {\n${w.join("\n")}\n}, function read(s) {\n${r.join("\n")}\n}];`,
    ) as (...args: unknown[]) => [GeneratedBody<T>["write"], GeneratedBody<T>["read"]];
    const [write, read] = make(R, F, E, m);
    return { write, read };
  } catch {
    return undefined;
  }
}
