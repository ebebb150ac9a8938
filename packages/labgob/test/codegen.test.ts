/**
 * Messages compile to generated code where `new Function` is allowed and fall back to an
 * interpreter where it is not. Both must behave identically: same bytes, same values, same
 * errors. These tests run the interpreter against the generated code.
 */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { setCodegen } from "../src/codegen.js";
import type { Codec } from "../src/index.js";
import { messageOf } from "./support/arbitraries.js";
import { difference } from "./support/same.js";
import { AppendEntriesArgs, defineSchemas, Everything } from "./support/schemas.js";

setCodegen(false);
const interpreted = defineSchemas();
setCodegen(true);
afterAll(() => setCodegen(true));

/** The outcome of a call: its value, or the error's class and message. */
function outcome(f: () => unknown): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    return { ok: false, error: `${(e as Error).name}: ${(e as Error).message}` };
  }
}

function sameOutcome(a: ReturnType<typeof outcome>, b: ReturnType<typeof outcome>): void {
  expect(a.ok).toBe(b.ok);
  if (a.ok && b.ok) expect(difference(a.value, b.value)).toBeUndefined();
  else expect(a).toEqual(b);
}

const pairs: [string, Codec<unknown>, Codec<unknown>, fc.Arbitrary<unknown>][] = [
  [
    "AppendEntriesArgs",
    AppendEntriesArgs as Codec<unknown>,
    interpreted.AppendEntriesArgs as Codec<unknown>,
    messageOf(AppendEntriesArgs) as fc.Arbitrary<unknown>,
  ],
  [
    "Everything",
    Everything as Codec<unknown>,
    interpreted.Everything as Codec<unknown>,
    messageOf(Everything) as fc.Arbitrary<unknown>,
  ],
];

describe("generated code and interpreter agree", () => {
  for (const [name, generated, interpreter, arbitrary] of pairs) {
    it(`${name}: same bytes and values for valid messages`, () => {
      fc.assert(
        fc.property(arbitrary, (x) => {
          const bytes = generated.encode(x);
          expect(interpreter.encode(x)).toEqual(bytes);
          expect(difference(x, interpreter.decode(bytes))).toBeUndefined();
        }),
        { numRuns: 300 },
      );
    });

    it(`${name}: same outcome for mutated encodings`, () => {
      fc.assert(
        fc.property(arbitrary, fc.nat(), fc.integer({ min: 0, max: 255 }), (x, at, byte) => {
          const bytes = generated.encode(x);
          bytes[at % bytes.length] = byte;
          sameOutcome(
            outcome(() => generated.decode(bytes)),
            outcome(() => interpreter.decode(bytes)),
          );
        }),
        { numRuns: 1000 },
      );
    });

    it(`${name}: same outcome for random bytes and for malformed values`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 48 }), (bytes) => {
          sameOutcome(
            outcome(() => generated.decode(bytes)),
            outcome(() => interpreter.decode(bytes)),
          );
        }),
        { numRuns: 1000 },
      );
      fc.assert(
        fc.property(arbitrary, fc.string({ maxLength: 8 }), fc.anything(), (x, key, junk) => {
          const bad = { ...(x as object), [key]: junk };
          sameOutcome(
            outcome(() => generated.encode(bad)),
            outcome(() => interpreter.encode(bad)),
          );
        }),
        { numRuns: 500 },
      );
    });
  }
});

describe("where new Function is forbidden", () => {
  it("falls back to the interpreter", () => {
    const original = globalThis.Function;
    const calls: unknown[] = [];
    // What a strict Content Security Policy does to `new Function`.
    globalThis.Function = function Forbidden(...args: unknown[]) {
      calls.push(args);
      throw new EvalError("Code generation from strings disallowed for this context");
    } as unknown as FunctionConstructor;
    let codec: typeof interpreted.LogEntry;
    try {
      codec = defineSchemas().LogEntry;
    } finally {
      globalThis.Function = original;
    }
    expect(calls.length).toBeGreaterThan(0);
    const entry = { term: 1, index: 2, command: new Uint8Array([3]) };
    expect(codec.decode(codec.encode(entry))).toStrictEqual(entry);
    expect(() => codec.encode({ ...entry, extra: 1 } as typeof entry)).toThrow(/no field "extra"/);
  });
});
