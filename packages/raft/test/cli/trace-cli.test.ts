import { describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import { readTrace, TraceInputError } from "../../src/cli/trace/read-trace.js";
import { wrap } from "../../src/cli/trace/render-columns.js";
import { parseTraceArgs } from "../../src/cli/trace/trace-args.js";
import { runTraceCli } from "../../src/cli/trace/trace-cli.js";
import { captureIo } from "./capture-io.js";
import { spawnCli } from "./spawn-cli.js";

/** A small trace in the shape RaftCluster records: harness, core and network events. */
const SMALL_TRACE = [
  { node: "0", time: 0, kind: "harness.start" },
  { node: "1", time: 0, kind: "harness.start" },
  { node: "2", time: 0, kind: "harness.start" },
  {
    lastIndex: 0,
    lastTerm: 0,
    time: 512,
    node: "1",
    term: 1,
    role: "candidate",
    kind: "role.candidate",
  },
  { id: 0, from: "e1-0-3", to: "s0", method: "Raft.RequestVote", time: 512, kind: "rpc.send" },
  {
    candidate: 1,
    granted: true,
    candidateTerm: 1,
    time: 530,
    node: "0",
    term: 1,
    role: "follower",
    kind: "vote",
  },
  {
    lastIndex: 0,
    votes: [1, 0],
    time: 548,
    node: "1",
    term: 1,
    role: "leader",
    kind: "role.leader",
  },
  { id: 0, ok: true, time: 548, kind: "rpc.done" },
  { node: "2", time: 600, kind: "harness.crash" },
  { index: 1, time: 700, node: "1", term: 1, role: "leader", kind: "commit" },
  {
    reason: "unknown sender",
    from: 9,
    time: 710,
    node: "0",
    term: 2,
    role: "follower",
    kind: "drop",
  },
]
  .map((event) => `${JSON.stringify(event)}\n`)
  .join("");

async function show(args: string[], input = SMALL_TRACE, stdoutColumns?: number) {
  const io = captureIo(stdoutColumns === undefined ? {} : { stdoutColumns });
  const code = await runTraceCli([...args, "trace.jsonl"], { io, readText: async () => input });
  return { code, stdout: io.out(), stderr: io.err() };
}

describe("raft-trace output", () => {
  it("lays a small trace out in per-node columns with a side column", async () => {
    // Four columns share 108 - 3 (time) - 4 * 3 (separators): 23 characters each.
    const run = await show(["--width", "108"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(EXIT.ok);
    expect(run.stdout).toBe(
      [
        " ms | 0                       | 1                       | 2                       | other",
        "----+-------------------------+-------------------------+-------------------------+------------------------",
        "  0 | harness.start",
        "  0 |                         | harness.start",
        "  0 |                         |                         | harness.start",
        "512 |                         | C1 role.candidate",
        "    |                         | lastIndex=0 lastTerm=0",
        "512 |                         |                         |                         | rpc.send id=0",
        "    |                         |                         |                         | from=e1-0-3 to=s0",
        "    |                         |                         |                         | method=Raft.RequestVote",
        "530 | F1 vote candidate=1",
        "    | granted=true",
        "    | candidateTerm=1",
        "548 |                         | L1 role.leader",
        "    |                         | lastIndex=0 votes=[1,0]",
        "548 |                         |                         |                         | rpc.done id=0 ok=true",
        "600 |                         |                         | harness.crash",
        "700 |                         | L1 commit index=1",
        '710 | F2 drop reason="unknown',
        '    | sender" from=9',
        "11 of 11 events",
        "",
      ].join("\n"),
    );
  });

  it("fits the terminal's width, or 120 columns off a terminal", async () => {
    const widest = (text: string) => Math.max(...text.split("\n").map((l) => l.length));
    const terminal = await show([], SMALL_TRACE, 70);
    // 4 columns of (70 - 3 - 4 * 3) / 4 = 13, the last one's text may run to 13 too.
    expect(terminal.stdout.split("\n")[0]).toBe(
      " ms | 0             | 1             | 2             | other",
    );
    expect(widest(terminal.stdout)).toBeLessThanOrEqual(70);
    const piped = await show([]);
    expect(widest(piped.stdout)).toBeLessThanOrEqual(120);
    expect(widest(piped.stdout)).toBeGreaterThan(100);
  });

  it("filters by node, term range, kind prefix and time", async () => {
    const rows = async (args: string[]) => {
      const run = await show(["--json", ...args]);
      expect(run.code).toBe(EXIT.ok);
      return run.stdout
        .trimEnd()
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => {
          const e = JSON.parse(l);
          return `${e.time} ${e.node ?? "-"} ${e.kind}`;
        });
    };
    expect(await rows(["--node", "0,2"])).toEqual([
      "0 0 harness.start",
      "0 2 harness.start",
      "530 0 vote",
      "600 2 harness.crash",
      "710 0 drop",
    ]);
    expect(await rows(["--term", "2"])).toEqual(["710 0 drop"]);
    expect(await rows(["--term", "1..2", "--node", "1"])).toEqual([
      "512 1 role.candidate",
      "548 1 role.leader",
      "700 1 commit",
    ]);
    expect(await rows(["--kind", "rpc.,harness.c"])).toEqual([
      "512 - rpc.send",
      "548 - rpc.done",
      "600 2 harness.crash",
    ]);
    expect(await rows(["--from", "530", "--to", "600"])).toEqual([
      "530 0 vote",
      "548 1 role.leader",
      "548 - rpc.done",
      "600 2 harness.crash",
    ]);
    expect(await rows(["--kind", "snapshot."])).toEqual([]);
  });

  it("shows only the columns of the events that pass the filters", async () => {
    const run = await show(["--width", "60", "--term", "1", "--kind", "role.,commit"]);
    expect(run.stdout).toBe(
      [
        " ms | 1",
        "----+-------------------------------------------------------",
        "512 | C1 role.candidate lastIndex=0 lastTerm=0",
        "548 | L1 role.leader lastIndex=0 votes=[1,0]",
        "700 | L1 commit index=1",
        "3 of 11 events",
        "",
      ].join("\n"),
    );
  });

  it("prints --json lines exactly as they were in the file", async () => {
    const run = await show(["--json", "--node", "1", "--kind", "commit"]);
    expect(run.stdout).toBe(`${SMALL_TRACE.split("\n")[9]}\n`);
  });

  it("wraps at spaces, and splits a word longer than the column", () => {
    expect(wrap("L1 commit index=1", 9)).toEqual(["L1 commit", "index=1"]);
    expect(wrap("method=Raft.RequestVote", 10)).toEqual(["method=Raf", "t.RequestV", "ote"]);
    expect(wrap("short", 10)).toEqual(["short"]);
  });
});

describe("raft-trace input and usage errors", () => {
  const problem = async (input: string) => {
    const run = await show([], input);
    expect(run.code).toBe(EXIT.usage);
    expect(run.stdout).toBe("");
    return run.stderr;
  };

  it("names the line of input that is not a trace event", async () => {
    const good = `${SMALL_TRACE.split("\n")[0]}\n`;
    expect(await problem(`${good}\n{"time": 1, "kind": "x"\n`)).toMatch(
      /^raft-trace: trace\.jsonl:3: not JSON \(.+\)\n$/,
    );
    expect(await problem(`${good}[1, 2]\n`)).toBe(
      "raft-trace: trace.jsonl:2: not a trace event: expected a JSON object\n",
    );
    expect(await problem(`${good}${good}{"kind": "vote"}\n`)).toBe(
      'raft-trace: trace.jsonl:3: missing "time"\n',
    );
    expect(await problem('{"time": "5", "kind": "vote"}\n')).toBe(
      'raft-trace: trace.jsonl:1: "time" must be a number (milliseconds)\n',
    );
    expect(await problem('{"time": 5}\n')).toBe('raft-trace: trace.jsonl:1: missing "kind"\n');
    expect(await problem('{"time": 5, "kind": "vote", "node": 2}\n')).toBe(
      'raft-trace: trace.jsonl:1: "node" must be a string\n',
    );
    expect(await problem('{"time": 5, "kind": "vote", "term": "3"}\n')).toBe(
      'raft-trace: trace.jsonl:1: "term" must be a number\n',
    );
  });

  it("reads blank lines and CRLF line ends as nothing", () => {
    const events = readTrace('\n{"time":1,"kind":"a"}\r\n\n{"time":2,"kind":"b","node":"0"}', "t");
    expect(events.map((e) => [e.line, e.time, e.kind, e.node])).toEqual([
      [2, 1, "a", undefined],
      [4, 2, "b", "0"],
    ]);
    expect(() => readTrace('{"time":1}', "t")).toThrow(TraceInputError);
  });

  it("rejects bad arguments with exit code 3", async () => {
    const usage = async (args: string[]) => {
      const io = captureIo();
      const code = await runTraceCli(args, { io, readText: async () => SMALL_TRACE });
      expect(code).toBe(EXIT.usage);
      return io.err();
    };
    expect(await usage([])).toBe("raft-trace: missing the trace FILE (use - for standard input)\n");
    expect(await usage(["a", "b"])).toBe("raft-trace: expected one trace FILE, got 2: a b\n");
    expect(await usage(["t", "--term", "5..3"])).toBe(
      "raft-trace: --term: the range 5..3 is empty\n",
    );
    expect(await usage(["t", "--term", "x"])).toMatch(/^raft-trace: --term: expected an integer/);
    expect(await usage(["t", "--from", "9", "--to", "3"])).toBe(
      "raft-trace: --from 9 is after --to 3\n",
    );
    expect(await usage(["t", "--width", "10"])).toMatch(
      /^raft-trace: --width: expected an integer >= 40/,
    );
    expect(await usage(["t", "--node", ","])).toBe(
      "raft-trace: --node: expected a comma-separated list\n",
    );
    expect(await usage(["t", "--colour"])).toMatch(/--colour/);
  });

  it("parses its arguments", () => {
    expect(
      parseTraceArgs(["f.jsonl", "--node", "0, 2", "--term", "3..7", "--kind", "rpc."]),
    ).toEqual({
      kind: "show",
      file: "f.jsonl",
      filter: { nodes: ["0", "2"], terms: { min: 3, max: 7 }, kinds: ["rpc."] },
      width: undefined,
      json: false,
    });
    expect(parseTraceArgs(["--help"])).toEqual({ kind: "help" });
  });

  it("runs as a process: a missing file and bad input exit 3, a good file prints", async () => {
    const missing = await spawnCli("trace", ["no-such-trace.jsonl"]);
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.stderr).toMatch(/^raft-trace: cannot read no-such-trace\.jsonl: ENOENT/);
    const bad = await spawnCli("trace", ["-"], { input: `${SMALL_TRACE}not json\n` });
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toMatch(/^raft-trace: <stdin>:12: not JSON \(/);
    const good = await spawnCli("trace", ["test/cli/fixtures/small-trace.jsonl", "--width", "108"]);
    expect(good.stderr).toBe("");
    expect(good.code).toBe(EXIT.ok);
    expect(good.stdout).toBe((await show(["--width", "108"])).stdout);
  });
});
