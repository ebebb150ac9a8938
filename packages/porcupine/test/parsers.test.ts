import { describe, expect, it } from "vitest";
import {
  detectFormat,
  HistoryParseError,
  InvalidOptionError,
  kvJsonCodec,
  parseHistory,
  parseJepsenEtcdLog,
  parseJsonLines,
  parseKvLog,
  UNKNOWN_OUTPUT,
} from "../src/index.js";

/** Asserts that parsing throws a HistoryParseError at `line` whose message matches `reason`. */
function expectParseError(parse: () => unknown, line: number, reason: RegExp): void {
  let caught: unknown;
  try {
    parse();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(HistoryParseError);
  const error = caught as HistoryParseError;
  expect(error.code).toBe("LAB_PORCUPINE_HISTORY_PARSE");
  expect(error.file).toBe("h.txt");
  expect({ line: error.line, reason: error.reason }).toEqual({
    line,
    reason: expect.stringMatching(reason),
  });
  expect(error.message).toBe(`h.txt:${line}: ${error.reason}`);
}

const jepsen = (...lines: string[]) => lines.map((l) => `INFO  jepsen.util - ${l}`).join("\n");

describe("kv EDN format", () => {
  it("pairs invocations with completions per process, with line numbers as times", () => {
    const text = [
      '{:process 0, :type :invoke, :f :put, :key "k", :value "a"}',
      '{:process 1, :type :invoke, :f :get, :key "k", :value nil}',
      '{:process 0, :type :ok, :f :put, :key "k", :value "a"}',
      "",
      '{:process 1, :type :ok, :f :get, :key "k", :value "a\\"b"}',
    ].join("\n");
    expect(parseKvLog(text)).toEqual([
      {
        clientId: 0,
        input: { op: "put", key: "k", value: "a" },
        call: 1,
        output: { type: "ok" },
        return: 3,
      },
      {
        clientId: 1,
        input: { op: "get", key: "k" },
        call: 2,
        output: { type: "ok", value: 'a"b' },
        return: 5,
      },
    ]);
  });

  it("keeps :info and unfinished operations open with an unknown outcome, and drops :fail", () => {
    const text = [
      '{:process 0, :type :invoke, :f :append, :key "k", :value "a"}',
      '{:process 0, :type :info, :f :append, :key "k", :value "a"}',
      '{:process 1, :type :invoke, :f :append, :key "k", :value "b"}',
      '{:process 1, :type :fail, :f :append, :key "k", :value "b"}',
      '{:process 2, :type :invoke, :f :get, :key "k", :value nil}',
    ].join("\n");
    const ops = parseKvLog(text);
    expect(ops.map((o) => [o.clientId, o.output, o.return])).toEqual([
      [0, UNKNOWN_OUTPUT, Number.POSITIVE_INFINITY],
      [2, UNKNOWN_OUTPUT, Number.POSITIVE_INFINITY],
    ]);
  });

  const ok = '{:process 0, :type :invoke, :f :put, :key "k", :value "a"}';
  it.each([
    ["not a map", "hello", 1, /malformed kv entry/],
    ["an unterminated map", "{:process 0, :type :invoke", 1, /unterminated map/],
    ["an unterminated string", '{:process 0, :key "k', 1, /unterminated string/],
    [
      "an unknown operation",
      '{:process 0, :type :invoke, :f :cas, :key "k", :value nil}',
      1,
      /unknown operation :f :cas/,
    ],
    [
      "an unknown type",
      '{:process 0, :type :maybe, :f :get, :key "k", :value nil}',
      1,
      /unknown :type :maybe/,
    ],
    ["a missing process", '{:type :invoke, :f :get, :key "k", :value nil}', 1, /:process/],
    [
      "a non-string key",
      "{:process 0, :type :invoke, :f :get, :key 3, :value nil}",
      1,
      /:key must be a string/,
    ],
    [
      "a put without a value",
      '{:process 0, :type :invoke, :f :put, :key "k", :value nil}',
      1,
      /string :value/,
    ],
    ["a duplicate key", "{:process 0, :process 1}", 1, /appears twice/],
  ])("rejects %s", (_, line, lineNo, reason) => {
    expectParseError(() => parseKvLog(line, "h.txt"), lineNo, reason);
  });

  it("rejects a return before its call", () => {
    expectParseError(
      () => parseKvLog(`${ok}\n{:process 1, :type :ok, :f :get, :key "k", :value "a"}`, "h.txt"),
      2,
      /without an open invocation/,
    );
  });

  it("rejects a completion that does not match its invocation", () => {
    expectParseError(
      () => parseKvLog(`${ok}\n{:process 0, :type :ok, :f :append, :key "k", :value "a"}`, "h.txt"),
      2,
      /does not match the open :put/,
    );
    expectParseError(
      () => parseKvLog(`${ok}\n{:process 0, :type :ok, :f :put, :key "k", :value "z"}`, "h.txt"),
      2,
      /differs from the invoked/,
    );
  });

  it("rejects a second invocation while the process has one open", () => {
    expectParseError(() => parseKvLog(`${ok}\n\n${ok}`, "h.txt"), 3, /still open/);
  });

  it("rejects a get completion without a string value", () => {
    const text =
      '{:process 0, :type :invoke, :f :get, :key "k", :value nil}\n{:process 0, :type :ok, :f :get, :key "k", :value nil}';
    expectParseError(() => parseKvLog(text, "h.txt"), 2, /string read/);
  });
});

describe("Jepsen etcd format", () => {
  it("reads reads, writes and CAS with tabs or spaces between fields", () => {
    const text = [
      "INFO  jepsen.util - 0\t:invoke\t:write\t3",
      "INFO  jepsen.util - 0\t:ok\t:write\t3",
      "INFO  jepsen.util - 1   :invoke   :cas   [3 4]",
      "INFO  jepsen.util - 1   :ok   :cas   [3 4]",
      "INFO  jepsen.util - 2\t:invoke\t:read\tnil",
      "INFO  jepsen.util - 2\t:ok\t:read\t4",
    ].join("\n");
    expect(parseJepsenEtcdLog(text)).toEqual([
      { clientId: 0, input: { op: "write", value: 3 }, call: 1, output: { type: "ok" }, return: 2 },
      {
        clientId: 1,
        input: { op: "cas", from: 3, to: 4 },
        call: 3,
        output: { type: "ok" },
        return: 4,
      },
      { clientId: 2, input: { op: "read" }, call: 5, output: { type: "ok", value: 4 }, return: 6 },
    ]);
  });

  it("maps :fail and :info as EXPECTED.md describes", () => {
    const text = jepsen(
      "0 :invoke :cas [1 2]",
      "0 :fail :cas [1 2]",
      "1 :invoke :read nil",
      "1 :fail :read :timed-out",
      "2 :invoke :write 5",
      "2 :info :write :timed-out",
      "3 :invoke :read nil",
      "3 :ok :read nil",
    );
    const ops = parseJepsenEtcdLog(text);
    expect(ops.map((o) => [o.output, o.return])).toEqual([
      [{ type: "fail" }, 2],
      [UNKNOWN_OUTPUT, 4],
      [UNKNOWN_OUTPUT, Number.POSITIVE_INFINITY],
      [{ type: "ok", value: null }, 8],
    ]);
  });

  it.each([
    ["a line of another shape", "garbage here", /not a Jepsen log line/],
    [
      "an unknown operation",
      "INFO  jepsen.util - 0 :invoke :delete nil",
      /unknown operation ":delete"/,
    ],
    ["an unknown type", "INFO  jepsen.util - 0 :begin :read nil", /unknown type ":begin"/],
    [
      "a non-integer process",
      "INFO  jepsen.util - x :invoke :read nil",
      /process must be an integer/,
    ],
    ["a write of a non-integer", "INFO  jepsen.util - 0 :invoke :write abc", /integer/],
    ["a malformed CAS", "INFO  jepsen.util - 0 :invoke :cas [1]", /\[from to\]/],
    ["a read with an argument", "INFO  jepsen.util - 0 :invoke :read 3", /must carry nil/],
    ["a return before its call", "INFO  jepsen.util - 0 :ok :read 3", /without an open invocation/],
    [
      "a write of an integer beyond 2^53",
      "INFO  jepsen.util - 0 :invoke :write 99999999999999999999",
      /:invoke :write's value must be a safe integer.*99999999999999999999/,
    ],
    [
      "a CAS from an integer beyond 2^53",
      "INFO  jepsen.util - 0 :invoke :cas [9007199254740993 1]",
      /:invoke :cas's from must be a safe integer/,
    ],
    [
      "a CAS to an integer beyond -2^53",
      "INFO  jepsen.util - 0 :invoke :cas [1 -9007199254740993]",
      /:invoke :cas's to must be a safe integer/,
    ],
    [
      "a process id beyond 2^53",
      "INFO  jepsen.util - 99999999999999999999 :invoke :read nil",
      /process must be a safe integer/,
    ],
  ])("rejects %s", (_, line, reason) => {
    expectParseError(() => parseJepsenEtcdLog(`\n${line}`, "h.txt"), 2, reason);
  });

  it("rejects an unsafe integer where it first appears, and accepts the largest safe one", () => {
    expectParseError(
      () =>
        parseJepsenEtcdLog(
          jepsen("0 :invoke :write 99999999999999999999", "0 :ok :write 99999999999999999999"),
          "h.txt",
        ),
      1,
      /safe integer/,
    );
    expectParseError(
      () =>
        parseJepsenEtcdLog(jepsen("0 :invoke :read nil", "0 :ok :read 9007199254740992"), "h.txt"),
      2,
      /:ok :read's value must be a safe integer/,
    );
    const max = String(Number.MAX_SAFE_INTEGER);
    expect(
      parseJepsenEtcdLog(
        jepsen(
          `0 :invoke :write ${max}`,
          `0 :ok :write ${max}`,
          `1 :invoke :cas [-${max} ${max}]`,
          `1 :fail :cas [-${max} ${max}]`,
        ),
      ).map((o) => o.input),
    ).toEqual([
      { op: "write", value: Number.MAX_SAFE_INTEGER },
      { op: "cas", from: -Number.MAX_SAFE_INTEGER, to: Number.MAX_SAFE_INTEGER },
    ]);
  });

  it("rejects completions that do not match their invocation", () => {
    expectParseError(
      () => parseJepsenEtcdLog(jepsen("0 :invoke :read nil", "0 :ok :write 3"), "h.txt"),
      2,
      /does not match/,
    );
    expectParseError(
      () => parseJepsenEtcdLog(jepsen("0 :invoke :cas [1 2]", "0 :ok :cas [1 3]"), "h.txt"),
      2,
      /differs/,
    );
    expectParseError(
      () => parseJepsenEtcdLog(jepsen("0 :invoke :read nil", "0 :ok :read x"), "h.txt"),
      2,
      /nil or an integer/,
    );
    expectParseError(
      () => parseJepsenEtcdLog(jepsen("0 :invoke :read nil", "0 :invoke :read nil"), "h.txt"),
      2,
      /still open/,
    );
  });
});

describe("JSON-lines format", () => {
  it("reads operations and events, with a header naming the model", () => {
    const text = [
      '{"porcupine": 1, "model": "kv"}',
      '{"client": 0, "call": 10, "return": 20, "input": {"op": "put", "key": "k", "value": "v"}, "output": {"type": "ok"}}',
      '{"type": "call", "client": "c1", "id": 7, "time": 21, "input": {"op": "get", "key": "k"}}',
      '{"type": "call", "client": 2, "id": "x", "input": {"op": "append", "key": "k", "value": "w"}}',
      '{"type": "return", "client": "c1", "id": 7, "time": 30, "output": {"type": "ok", "value": "v"}}',
      '{"client": 3, "call": 31, "input": {"op": "put", "key": "k", "value": "z"}}',
    ].join("\n");
    const loaded = parseHistory(text);
    expect(loaded.model).toBe("kv");
    expect(loaded.format).toBe("jsonl");
    expect(loaded.operations).toEqual([
      {
        clientId: 0,
        input: { op: "put", key: "k", value: "v" },
        call: 10,
        output: { type: "ok" },
        return: 20,
      },
      {
        clientId: "c1",
        input: { op: "get", key: "k" },
        call: 21,
        output: { type: "ok", value: "v" },
        return: 30,
      },
      {
        clientId: 2,
        input: { op: "append", key: "k", value: "w" },
        call: 4,
        output: UNKNOWN_OUTPUT,
        return: Number.POSITIVE_INFINITY,
      },
      {
        clientId: 3,
        input: { op: "put", key: "k", value: "z" },
        call: 31,
        output: UNKNOWN_OUTPUT,
        return: Number.POSITIVE_INFINITY,
      },
    ]);
  });

  it("reads an append that returned the old value (kvsrv)", () => {
    const loaded = parseHistory(
      '{"porcupine":1,"model":"kv"}\n{"client":0,"call":1,"return":2,"input":{"op":"append","key":"k","value":"w"},"output":{"type":"ok","value":"old"}}',
    );
    expect(loaded.operations[0]?.output).toEqual({ type: "ok", value: "old" });
    expectParseError(
      () =>
        parseHistory(
          '{"porcupine":1,"model":"kv"}\n{"client":0,"call":1,"return":2,"input":{"op":"append","key":"k","value":"w"},"output":{"type":"ok","value":3}}',
          { file: "h.txt" },
        ),
      2,
      /old value\) must be a string/,
    );
    expectParseError(
      () =>
        parseHistory(
          '{"porcupine":1,"model":"kv"}\n{"client":0,"call":1,"return":2,"input":{"op":"put","key":"k","value":"w"},"output":{"type":"ok","value":"x"}}',
          { file: "h.txt" },
        ),
      2,
      /output of a put has no value/,
    );
  });

  it("reads etcd and register histories", () => {
    const etcd = parseHistory(
      '{"porcupine":1,"model":"etcd"}\n{"client":0,"call":1,"return":2,"input":{"op":"cas","from":1,"to":2},"output":{"type":"fail"}}',
    );
    expect(etcd.operations[0]).toMatchObject({
      input: { op: "cas", from: 1, to: 2 },
      output: { type: "fail" },
    });
    const register = parseHistory(
      '{"porcupine":1,"model":"register","initial":"a"}\n{"client":0,"call":1,"return":2,"input":{"op":"read"},"output":{"type":"ok","value":"a"}}',
    );
    expect(register.model === "register" && register.initial).toBe("a");
  });

  const kvLine = (fields: string) => `{"porcupine":1,"model":"kv"}\n${fields}`;
  it.each([
    ["invalid JSON", "{nope", /invalid JSON/],
    ["a non-object line", "[1,2]", /must be a JSON object/],
    [
      "a missing client",
      '{"call":1,"return":2,"input":{"op":"get","key":"k"},"output":{"type":"ok","value":""}}',
      /client/,
    ],
    [
      "an unknown operation",
      '{"client":0,"call":1,"return":2,"input":{"op":"cas","key":"k"},"output":{"type":"ok"}}',
      /unknown operation "cas"/,
    ],
    [
      "a return before its call",
      '{"client":0,"call":5,"return":2,"input":{"op":"get","key":"k"},"output":{"type":"ok","value":""}}',
      /before the call/,
    ],
    [
      "a get without its value",
      '{"client":0,"call":1,"return":2,"input":{"op":"get","key":"k"},"output":{"type":"ok"}}',
      /string value read/,
    ],
    [
      "a bad output type",
      '{"client":0,"call":1,"return":2,"input":{"op":"get","key":"k"},"output":{"type":"maybe"}}',
      /output.type/,
    ],
    [
      "an unexpected field",
      '{"client":0,"call":1,"return":2,"input":{"op":"get","key":"k"},"output":{"type":"unknown"},"extra":1}',
      /unexpected field "extra"/,
    ],
    [
      "a non-numeric time",
      '{"client":0,"call":"1","input":{"op":"get","key":"k"}}',
      /call must be a finite number/,
    ],
    [
      "a return event without its call",
      '{"type":"return","client":0,"id":1,"output":{"type":"ok"}}',
      /without an earlier call/,
    ],
    [
      "an unknown event type",
      '{"type":"crash","client":0,"id":1}',
      /type must be "call" or "return"/,
    ],
    ["a second header", '{"porcupine":1}', /header line is only allowed as the first line/],
  ])("rejects %s", (_, line, reason) => {
    expectParseError(() => parseHistory(kvLine(line), { file: "h.txt" }), 2, reason);
  });

  it("rejects event-level inconsistencies at the offending line", () => {
    const call = '{"type":"call","client":0,"id":1,"time":5,"input":{"op":"get","key":"k"}}';
    expectParseError(
      () => parseJsonLines(`${call}\n${call}`, kvJsonCodec, "h.txt"),
      2,
      /second call/,
    );
    expectParseError(
      () =>
        parseJsonLines(
          `${call}\n{"type":"return","client":0,"id":1,"time":4,"output":{"type":"ok","value":""}}`,
          kvJsonCodec,
          "h.txt",
        ),
      2,
      /before its call/,
    );
    expectParseError(
      () =>
        parseJsonLines(
          `${call}\n{"type":"return","client":9,"id":1,"time":6,"output":{"type":"ok","value":""}}`,
          kvJsonCodec,
          "h.txt",
        ),
      2,
      /return from client 9/,
    );
  });

  it("rejects a bad header or a missing model", () => {
    expectParseError(
      () => parseHistory('{"porcupine":2}', { file: "h.txt" }),
      1,
      /unsupported format version/,
    );
    expectParseError(
      () => parseHistory('{"porcupine":1,"model":"queue"}', { file: "h.txt" }),
      1,
      /unknown model "queue"/,
    );
    expectParseError(
      () => parseHistory('{"client":0,"call":1,"input":{"op":"read"}}', { file: "h.txt" }),
      1,
      /no model/,
    );
    expect(
      parseHistory('{"client":0,"call":1,"input":{"op":"read"}}', { model: "etcd" }).operations,
    ).toHaveLength(1);
  });
});

describe("format detection", () => {
  it("detects each format from its first line", () => {
    expect(detectFormat('\n{:process 0, :type :invoke, :f :get, :key "k", :value nil}')).toBe(
      "porcupine-kv",
    );
    expect(detectFormat("INFO  jepsen.util - 0\t:invoke\t:read\tnil")).toBe("jepsen-etcd");
    expect(detectFormat('{"porcupine":1}')).toBe("jsonl");
  });

  it("rejects an empty file and an unknown format", () => {
    expectParseError(() => detectFormat("\n  \n", "h.txt"), 1, /empty/);
    expectParseError(() => detectFormat("\nhello", "h.txt"), 2, /unrecognised history format/);
  });

  it("refuses a model that cannot read the format", () => {
    expect(() => parseHistory("INFO  jepsen.util - 0 :invoke :read nil", { model: "kv" })).toThrow(
      InvalidOptionError,
    );
  });
});
