import fc from "fast-check";
import type { MessageCodec, Value } from "../../src/index.js";
import type { KindImpl } from "../../src/kind.js";
import { type CompiledMessage, compiledOf } from "../../src/message.js";
import {
  bigintKind,
  boolKind,
  bytesKind,
  doubleKind,
  EnumKind,
  intKind,
  stringKind,
  uintKind,
} from "../../src/scalars.js";
import { valueKind } from "../../src/value.js";
import { isWellFormed } from "../../src/writer.js";

/** Strings of any code points (not only ASCII), without lone surrogates. */
export const text = fc.string({ unit: "binary", maxLength: 12 }).filter(isWellFormed);

/** Object keys, biased towards the awkward ones: integer-like, `__proto__`, empty. */
export const key = fc.oneof(
  text,
  fc.constantFrom("__proto__", "constructor", "toString", "0", "1", "10", "007", "", "a b"),
  fc.nat({ max: 20 }).map(String),
);

/** Plain objects with the given values, keys as above (incl. own `__proto__`). */
export function plainObject<T>(values: fc.Arbitrary<T>): fc.Arbitrary<Record<string, T>> {
  return fc
    .uniqueArray(fc.tuple(key, values), { maxLength: 4, selector: ([k]) => k })
    .map((pairs) => {
      const out: Record<string, T> = {};
      for (const [k, v] of pairs) {
        Object.defineProperty(out, k, {
          value: v,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      }
      return out;
    });
}

/** Arbitrary `Value`s: every number (`-0`, `NaN`, infinities), big bigints, nesting. */
export const value: fc.Arbitrary<Value> = fc.letrec<{ value: Value }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    fc.integer(),
    fc.maxSafeInteger(),
    fc.constantFrom(-0, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, -(2 ** 60), 0.1),
    text,
    fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }),
    fc.uint8Array({ maxLength: 16 }),
    fc.array(tie("value"), { maxLength: 4 }),
    plainObject(tie("value")),
  ),
})).value;

function scalar(impl: KindImpl): fc.Arbitrary<unknown> {
  if (impl === intKind) return fc.oneof(fc.maxSafeInteger(), fc.integer({ min: -300, max: 300 }));
  if (impl === uintKind) return fc.oneof(fc.maxSafeNat(), fc.nat({ max: 300 }));
  if (impl === doubleKind) return fc.double();
  if (impl === boolKind) return fc.boolean();
  if (impl === stringKind) return text;
  if (impl === bytesKind) return fc.uint8Array({ maxLength: 16 });
  if (impl === bigintKind) return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
  if (impl === valueKind) return value;
  if (impl instanceof EnumKind) return fc.constantFrom(...(impl.values as string[]));
  return compiled(impl as CompiledMessage);
}

function compiled(m: CompiledMessage): fc.Arbitrary<unknown> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  const required: string[] = [];
  for (const slot of m.declared) {
    const element = scalar(slot.impl);
    switch (slot.card) {
      case "single":
        model[slot.name] = element;
        required.push(slot.name);
        break;
      case "optional":
        model[slot.name] = element;
        break;
      case "repeated":
        model[slot.name] = fc.array(element, { maxLength: 4 });
        required.push(slot.name);
        break;
      case "map":
        model[slot.name] = plainObject(element);
        required.push(slot.name);
        break;
    }
  }
  return fc.record(model, { requiredKeys: required, noNullPrototype: true });
}

/** Valid messages of `codec`, built from its schema; optional fields are sometimes absent. */
export function messageOf<T>(codec: MessageCodec<T>): fc.Arbitrary<T> {
  const m = compiledOf(codec as MessageCodec<unknown>);
  if (m === undefined) throw new Error("not a message codec");
  return compiled(m) as fc.Arbitrary<T>;
}
