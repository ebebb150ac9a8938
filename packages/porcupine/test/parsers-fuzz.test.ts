import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { etcdJsonCodec, kvJsonCodec, registerJsonCodec } from "../src/formats/builtin-codecs.js";
import {
  builtinModel,
  checkOperationsSync,
  HistoryParseError,
  InvalidOptionError,
  parseHistory,
  parseJepsenEtcdLog,
  parseJsonLines,
  parseKvLog,
} from "../src/index.js";

// Random and garbage input for each parser: every outcome must be either a HistoryParseError or
// a history the checker accepts (it validates times and clients, then gives a verdict). Lines
// are built from the formats' own tokens mixed with junk, so the parsers' deeper states (open
// invocations, completions, mismatches) are reached, not only the "not a line" rejection.

const junk = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom("", " ", "\t", "nil", "[", "]", "{", "}", '"', "\\", ":", ",", "\u0000", "é"),
  fc.integer().map(String),
  fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n }).map(String),
  fc.double().map(String),
);
const smallInt = fc.integer({ min: -3, max: 5 }).map(String);
/** Mostly one of the format's own tokens, sometimes junk. */
const mostly = (valid: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: junk });
const pick = (...values: string[]) => mostly(fc.constantFrom(...values));
const processId = mostly(fc.integer({ min: 0, max: 2 }).map(String));
const separator = fc.constantFrom(" ", "\t", "   ", "");

const jepsenLine = fc.oneof(
  { weight: 1, arbitrary: junk },
  {
    weight: 30,
    arbitrary: fc
      .tuple(
        processId,
        pick(":invoke", ":invoke", ":ok", ":fail", ":info"),
        pick(":read", ":write", ":cas"),
        mostly(
          fc.oneof(
            fc.constantFrom("nil", ":timed-out"),
            smallInt,
            fc.tuple(smallInt, smallInt).map(([a, b]) => `[${a} ${b}]`),
          ),
        ),
        separator,
      )
      .map(([p, type, f, value, sep]) =>
        ["INFO  jepsen.util -", p, type, f, value].join(sep === "" ? " " : sep),
      ),
  },
);

const ednString = mostly(
  fc.oneof(
    fc.constantFrom('"0"', '"1"', '"x 0 1 y"', '""', "nil"),
    fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s)),
  ),
);
const kvLine = fc.oneof(
  { weight: 1, arbitrary: junk },
  {
    weight: 30,
    arbitrary: fc
      .tuple(
        processId,
        pick(":invoke", ":invoke", ":ok", ":fail", ":info"),
        pick(":get", ":put", ":append"),
        ednString,
        ednString,
        fc.boolean(),
      )
      .map(
        ([p, type, f, key, value, dropValue]) =>
          `{:process ${p}, :type ${type}, :f ${f}, :key ${key}${dropValue ? "" : `, :value ${value}`}}`,
      ),
  },
);

const jsonScalar = fc.oneof(
  fc.constantFrom(0, 1, 2, 5, -1, 1.5, null, true, "k", "", "a"),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 4 }),
);
const key = fc.constantFrom("k", "j");
const text = fc.constantFrom("", "a", "b", "ab");
const int = fc.integer({ min: -1, max: 3 });
/** Inputs and outputs of the three built-in models, so each codec sees some of its own. */
const jsonInput = fc.oneof(
  fc.record({ op: fc.constant("get"), key }),
  fc.record({ op: fc.constantFrom("put", "append"), key, value: text }),
  fc.constant({ op: "read" }),
  fc.record({ op: fc.constant("write"), value: fc.oneof(int, text, fc.constant(null)) }),
  fc.record({ op: fc.constant("cas"), from: int, to: int }),
);
const jsonOutput = fc.oneof(
  fc.record({ type: fc.constant("ok"), value: fc.oneof(text, int, fc.constant(null)) }),
  fc.constantFrom({ type: "ok" }, { type: "fail" }, { type: "unknown" }),
);
const time = fc.integer({ min: 0, max: 20 });
const client = fc.integer({ min: 0, max: 2 });
const wellShaped = fc.oneof(
  fc.record(
    { client, call: time, return: fc.oneof(time, fc.constant(null)), input: jsonInput },
    { requiredKeys: ["client", "call", "input"] },
  ),
  fc
    .record(
      { client, call: time, return: time, input: jsonInput, output: jsonOutput },
      { requiredKeys: ["client", "call", "input", "output"] },
    )
    .map((r) => (r.return === undefined ? r : { ...r, return: r.call + r.return })),
  fc.record(
    {
      type: fc.constant("call"),
      client,
      id: fc.integer({ min: 0, max: 3 }),
      time,
      input: jsonInput,
    },
    { requiredKeys: ["type", "client", "id", "input"] },
  ),
  fc.record(
    {
      type: fc.constant("return"),
      client,
      id: fc.integer({ min: 0, max: 3 }),
      time,
      output: jsonOutput,
    },
    { requiredKeys: ["type", "client", "id", "output"] },
  ),
);
/** A well-shaped record, sometimes with one field replaced by junk or one added. */
const jsonRecord = fc.oneof(
  { weight: 6, arbitrary: wellShaped },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        wellShaped,
        fc.constantFrom("client", "call", "return", "input", "output", "type", "id", "time", "x"),
        fc.oneof(jsonScalar, fc.constant(undefined)),
      )
      .map(([r, field, value]) => ({ ...r, [field]: value })),
  },
);
const jsonLine = fc.oneof(
  { weight: 1, arbitrary: junk },
  { weight: 30, arbitrary: jsonRecord.map((r) => JSON.stringify(r)) },
);
const jsonHeader = fc.constantFrom(
  "",
  '{"porcupine":1,"model":"kv"}',
  '{"porcupine":1,"model":"etcd"}',
  '{"porcupine":1,"model":"register","initial":0}',
  '{"porcupine":1,"model":"nope"}',
  '{"porcupine":1}',
);

/** Up to 12 lines drawn from `line`, joined with LF or CRLF. */
const lines = (line: fc.Arbitrary<string>) =>
  fc
    .array(line, { maxLength: 12 })
    .chain((ls) => fc.constantFrom("\n", "\r\n").map((eol) => ls.join(eol)));

/**
 * A consistent history as lines: `steps` pick a process (and a choice of operation); a process
 * with an open operation completes it, otherwise it invokes one. `render` writes one line.
 */
function consistent<Op>(
  steps: readonly (readonly [number, number])[],
  invoke: (process: number, choice: number) => Op,
  complete: (process: number, op: Op, choice: number) => string,
  render: (process: number, op: Op) => string,
): string[] {
  const open = new Map<number, Op>();
  const out: string[] = [];
  for (const [process, choice] of steps) {
    const op = open.get(process);
    if (op === undefined) {
      const fresh = invoke(process, choice);
      open.set(process, fresh);
      out.push(render(process, fresh));
    } else {
      open.delete(process);
      out.push(complete(process, op, choice));
    }
  }
  return out;
}

const steps = fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.nat(11)), { maxLength: 16 });

/** Lines of a consistent history, then 0 to 2 edits: junk in place of a line, a line dropped, a line repeated, two lines swapped. */
const mutated = (valid: fc.Arbitrary<string[]>, junkLine: fc.Arbitrary<string>) =>
  fc
    .tuple(
      valid,
      fc.array(fc.tuple(fc.nat(3), fc.nat(), fc.nat(), junkLine), { maxLength: 2 }),
      fc.constantFrom("\n", "\r\n"),
    )
    .map(([ls, edits, eol]) => {
      const out = [...ls];
      for (const [kind, i, j, junkText] of edits) {
        if (out.length === 0) break;
        const a = i % out.length;
        const b = j % out.length;
        if (kind === 0) out[a] = junkText;
        else if (kind === 1) out.splice(a, 1);
        else if (kind === 2) out.splice(a, 0, out[a]!);
        else [out[a], out[b]] = [out[b]!, out[a]!];
      }
      return out.join(eol);
    });

const jepsenValid = steps.map((ss) =>
  consistent(
    ss,
    (_, c) =>
      c % 3 === 0
        ? { f: ":read", value: "nil" }
        : c % 3 === 1
          ? { f: ":write", value: String(c) }
          : { f: ":cas", value: `[${c % 4} ${c}]` },
    (p, { f, value }, c) => {
      const type = c < 7 ? ":ok" : c < 10 ? ":fail" : ":info";
      const carried =
        type === ":info" || (type === ":fail" && f === ":read")
          ? ":timed-out"
          : f === ":read"
            ? c < 4
              ? "nil"
              : String(c)
            : value;
      return `INFO  jepsen.util - ${p}\t${type}\t${f}\t${carried}`;
    },
    (p, { f, value }) => `INFO  jepsen.util - ${p}\t:invoke\t${f}\t${value}`,
  ),
);

const kvValid = steps.map((ss) =>
  consistent(
    ss,
    (_, c) => ({ f: [":get", ":put", ":append"][c % 3]!, key: String(c % 2), value: `x ${c}` }),
    (p, op, c) => {
      const value =
        op.f === ":get" ? JSON.stringify(c < 6 ? "" : `x ${c}`) : JSON.stringify(op.value);
      return `{:process ${p}, :type ${c < 10 ? ":ok" : ":info"}, :f ${op.f}, :key "${op.key}", :value ${value}}`;
    },
    (p, op) =>
      `{:process ${p}, :type :invoke, :f ${op.f}, :key "${op.key}", :value ${op.f === ":get" ? "nil" : JSON.stringify(op.value)}}`,
  ),
);

const jsonValid = fc
  .tuple(
    steps,
    fc.constantFrom('{"porcupine":1,"model":"kv"}', '{"porcupine":1,"model":"etcd"}', ""),
  )
  .map(([ss, header]) => {
    const kv = header.includes("kv") || header === "";
    let t = 0;
    const body = consistent(
      ss,
      (p, c) => {
        t++;
        const input = kv
          ? c % 2 === 0
            ? { op: "get", key: "k" }
            : { op: "put", key: "k", value: String(c) }
          : c % 2 === 0
            ? { op: "read" }
            : { op: "write", value: c };
        return { id: `${p}-${t}`, input };
      },
      (p, op, c) => {
        t++;
        const output =
          c >= 10
            ? { type: "unknown" }
            : op.input.op === "get" || op.input.op === "read"
              ? { type: "ok", value: kv ? String(c % 3) : c % 3 }
              : { type: "ok" };
        return JSON.stringify({ type: "return", client: p, id: op.id, time: t, output });
      },
      (p, op) => JSON.stringify({ type: "call", client: p, id: op.id, time: t, input: op.input }),
    );
    return header === "" ? body : [header, ...body];
  });

/** Runs `parse`; it must throw a HistoryParseError or return a history the checker accepts. */
function parsesOrRejects(
  parse: () => readonly unknown[],
  model: Parameters<typeof builtinModel>[0],
): void {
  let operations: readonly unknown[];
  try {
    operations = parse();
  } catch (error) {
    if (error instanceof HistoryParseError) return;
    throw error;
  }
  expect(Array.isArray(operations)).toBe(true);
  // Throws InvalidHistoryError for a malformed history; a verdict means the history is sound.
  const result = checkOperationsSync(builtinModel(model), operations as never, {
    timeoutMs: 2_000,
  });
  expect(["ok", "illegal", "unknown"]).toContain(result.result);
}

const runs = { numRuns: 400 };

describe("parsers on random and garbage input", () => {
  it("Jepsen etcd: a HistoryParseError or a valid history", () => {
    fc.assert(
      fc.property(fc.oneof(lines(jepsenLine), mutated(jepsenValid, jepsenLine)), (text) =>
        parsesOrRejects(() => parseJepsenEtcdLog(text, "fuzz.log"), "etcd"),
      ),
      runs,
    );
  });

  it("kv EDN: a HistoryParseError or a valid history", () => {
    fc.assert(
      fc.property(fc.oneof(lines(kvLine), mutated(kvValid, kvLine)), (text) =>
        parsesOrRejects(() => parseKvLog(text, "fuzz.txt"), "kv"),
      ),
      runs,
    );
  });

  it("JSON lines, with each built-in codec: a HistoryParseError or a valid history", () => {
    const codecs = [
      ["kv", kvJsonCodec],
      ["etcd", etcdJsonCodec],
      ["register", registerJsonCodec],
    ] as const;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.tuple(jsonHeader, lines(jsonLine)).map(([h, b]) => (h === "" ? b : `${h}\n${b}`)),
          mutated(jsonValid, jsonLine),
        ),
        fc.constantFrom(0, 1, 2),
        (text, c) => {
          const [model, codec] = codecs[c]!;
          parsesOrRejects(() => parseJsonLines(text, codec as never, "fuzz.jsonl"), model);
        },
      ),
      runs,
    );
  });

  it("parseHistory with format detection: a HistoryParseError or a valid history", () => {
    const anyText = fc.oneof(
      lines(jepsenLine),
      lines(kvLine),
      fc.tuple(jsonHeader, lines(jsonLine)).map(([h, b]) => `${h}\n${b}`),
      lines(junk),
      mutated(jepsenValid, jepsenLine),
      mutated(kvValid, kvLine),
      mutated(jsonValid, jsonLine),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        let loaded: ReturnType<typeof parseHistory>;
        try {
          loaded = parseHistory(text, { file: "fuzz" });
        } catch (error) {
          if (error instanceof HistoryParseError) return;
          throw error;
        }
        parsesOrRejects(() => loaded.operations, loaded.model);
      }),
      runs,
    );
  });

  it("a model that cannot read the format is an InvalidOptionError, not a crash", () => {
    expect(() => parseHistory("INFO  jepsen.util - 0 :invoke :read nil", { model: "kv" })).toThrow(
      InvalidOptionError,
    );
  });
});
