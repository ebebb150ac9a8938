import { describe, Fault, keySegment, within } from "./fault.js";
import type { KeyOrder } from "./key-order.js";
import type { KindImpl } from "./kind.js";
import { isPlainObject, setOwn } from "./plain.js";
import { readLength, readString, readVarint32, type Source } from "./reader.js";
import { type Writer, writeString } from "./writer.js";

/** Tag of a map entry's key: field 1, length-delimited. */
const KEY_TAG = (1 << 3) | 2;

/**
 * Writes a `map<string, V>` field: one length-delimited entry record per key, each holding the
 * key (field 1) and the value (field 2), both always written, in `Object.keys` order.
 */
export function writeMap(
  w: Writer,
  tag: number,
  valueTag: number,
  impl: KindImpl,
  x: unknown,
): void {
  if (!isPlainObject(x))
    throw new Fault(`expected a map of ${impl.kind} (a plain object), got ${describe(x)}`);
  for (const key of Object.keys(x)) {
    const v = x[key];
    try {
      w.uint32(tag);
      w.fork();
      w.uint32(KEY_TAG);
      writeString(w, key);
      w.uint32(valueTag);
      impl.write(w, v);
      w.ldelim();
    } catch (e) {
      throw within(e, keySegment(key));
    }
  }
}

/** Reads one map entry record into `target`. */
export function readMapEntry(
  s: Source,
  valueTag: number,
  impl: KindImpl,
  target: Record<string, unknown>,
  order: KeyOrder,
): void {
  const n = readLength(s);
  const outer = s.end;
  s.end = s.pos + n;
  if (readVarint32(s) !== KEY_TAG) throw new Fault("map entry must start with its key (field 1)");
  const key = readString(s);
  try {
    order.check(key, target);
    if (readVarint32(s) !== valueTag) {
      throw new Fault("map entry must hold its value (field 2) right after the key");
    }
    const value = impl.read(s);
    if (s.pos !== s.end) throw new Fault("map entry has extra fields");
    setOwn(target, key, value);
  } catch (e) {
    throw within(e, keySegment(key));
  }
  s.end = outer;
}
