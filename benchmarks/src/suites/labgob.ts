import { field, type Infer, message, type Value, valueCodec } from "@lab/labgob";
import { Bench } from "tinybench";
import { type BenchRow, type BenchSuite, row } from "../suite.js";

const LogEntry = message("LogEntry", {
  term: field.uint(1),
  index: field.uint(2),
  command: field.bytes(3),
});
const AppendEntriesArgs = message("AppendEntriesArgs", {
  term: field.uint(1),
  leaderId: field.int(2),
  prevLogIndex: field.uint(3),
  prevLogTerm: field.uint(4),
  entries: field.repeated(field.message(LogEntry), 5),
  leaderCommit: field.uint(6),
});
type AppendEntriesArgs = Infer<typeof AppendEntriesArgs>;

const ENTRIES = 64;
const COMMAND_BYTES = 128;

/** The case: an AppendEntries carrying 64 entries of 128-byte commands. */
function appendEntries(): AppendEntriesArgs {
  return {
    term: 12,
    leaderId: 3,
    prevLogIndex: 100_000,
    prevLogTerm: 11,
    leaderCommit: 99_990,
    entries: Array.from({ length: ENTRIES }, (_, i) => ({
      term: 12,
      index: 100_001 + i,
      command: Uint8Array.from({ length: COMMAND_BYTES }, (_, j) => (i * 31 + j) & 0xff),
    })),
  };
}

// The JSON baseline needs a representation for the Uint8Array commands. Base64 strings through
// Buffer are the fair one: native encoding and decoding, 4/3 of the size, where an array of
// numbers would be about 3.5 times the size and much slower to parse. Decoding yields the
// Buffer itself (a Uint8Array) without a further copy.
interface JsonEntry {
  term: number;
  index: number;
  command: string;
}
interface JsonArgs extends Omit<AppendEntriesArgs, "entries"> {
  entries: JsonEntry[];
}

function toJson(args: AppendEntriesArgs): string {
  return JSON.stringify({
    ...args,
    entries: args.entries.map((e) => ({
      term: e.term,
      index: e.index,
      command: Buffer.from(e.command.buffer, e.command.byteOffset, e.command.byteLength).toString(
        "base64",
      ),
    })),
  });
}

function fromJson(text: string): AppendEntriesArgs {
  const parsed = JSON.parse(text) as JsonArgs;
  return {
    ...parsed,
    entries: parsed.entries.map((e) => ({
      term: e.term,
      index: e.index,
      command: Buffer.from(e.command, "base64"),
    })),
  };
}

/** A key/value-service command, the kind of `interface{}` value kvraft replicates. */
const command: Value = {
  op: "Append",
  key: "user:12345",
  value: "x".repeat(100),
  clientId: 8_812_345_678,
  seq: 42,
};

/** Fails loudly if a codec under test does not round-trip: never time a broken path. */
function check(what: string, ok: boolean): void {
  if (!ok) throw new Error(`labgob bench: ${what} does not round-trip`);
}

function sameArgs(a: AppendEntriesArgs, b: AppendEntriesArgs): boolean {
  return (
    a.term === b.term &&
    a.leaderCommit === b.leaderCommit &&
    a.entries.length === b.entries.length &&
    a.entries.every((e, i) => {
      const f = b.entries[i];
      return f !== undefined && e.index === f.index && Buffer.compare(e.command, f.command) === 0;
    })
  );
}

/** Operations per second of a completed tinybench task (runs / total time). */
function opsPerSecond(bench: Bench, name: string): number {
  const result = bench.getTask(name)?.result;
  if (
    result === undefined ||
    (result.state !== "completed" && result.state !== "aborted-with-statistics")
  ) {
    throw new Error(
      `labgob bench: task "${name}" did not complete (${result?.state ?? "missing"})`,
    );
  }
  return 1000 / result.period;
}

const suite: BenchSuite = {
  name: "labgob",
  description: "message codec: AppendEntries (64 × 128 B entries) and command values vs JSON",
  async run(ctx): Promise<BenchRow[]> {
    const args = appendEntries();
    const encoded = AppendEntriesArgs.encode(args);
    const json = toJson(args);
    check("labgob AppendEntriesArgs", sameArgs(args, AppendEntriesArgs.decode(encoded)));
    check("JSON AppendEntriesArgs", sameArgs(args, fromJson(json)));
    const encodedCommand = valueCodec.encode(command);
    check(
      "valueCodec",
      JSON.stringify(valueCodec.decode(encodedCommand)) === JSON.stringify(command),
    );
    ctx.log(
      `labgob: AppendEntries is ${encoded.length} B in labgob, ${json.length} B as JSON; command value ${encodedCommand.length} B`,
    );

    // Results are kept in a sink so that no call can be optimised away.
    let sink: unknown;
    const bench = new Bench({
      name: "labgob",
      time: ctx.quick ? 300 : 2000,
      warmupTime: ctx.quick ? 100 : 500,
      throws: true,
    });
    bench
      .add("labgob encode+decode", () => {
        sink = AppendEntriesArgs.decode(AppendEntriesArgs.encode(args));
      })
      .add("JSON encode+decode", () => {
        sink = fromJson(toJson(args));
      })
      .add("labgob encode", () => {
        sink = AppendEntriesArgs.encode(args);
      })
      .add("JSON encode", () => {
        sink = toJson(args);
      })
      .add("labgob decode", () => {
        sink = AppendEntriesArgs.decode(encoded);
      })
      .add("JSON decode", () => {
        sink = fromJson(json);
      })
      .add("value encode+decode", () => {
        sink = valueCodec.decode(valueCodec.encode(command));
      })
      .add("value JSON", () => {
        sink = JSON.parse(JSON.stringify(command));
      });
    await bench.run();
    if (sink === undefined) throw new Error("labgob bench: nothing ran");

    const rate = (name: string) => opsPerSecond(bench, name);
    const roundTrip = rate("labgob encode+decode");
    const jsonRoundTrip = rate("JSON encode+decode");
    // MB/s counts the labgob encoding's bytes for both, so that it measures the same message:
    // the ratio equals the messages/s ratio, while the value says how much wire data one core
    // can produce and consume per second.
    const mb = encoded.length / 1e6;
    const caseName = `AppendEntries, ${ENTRIES} × ${COMMAND_BYTES} B entries (${encoded.length} B)`;
    const baselineName = "JSON.stringify/parse";
    ctx.log(
      `labgob: ${Math.round(roundTrip)} msg/s encode+decode, JSON ${Math.round(jsonRoundTrip)} msg/s`,
    );
    return [
      row({
        suite: "labgob",
        case: `${caseName}: encode+decode`,
        metric: "messages/s",
        value: roundTrip,
        unit: "msg/s",
        baseline: jsonRoundTrip,
        baselineName,
      }),
      row({
        suite: "labgob",
        case: `${caseName}: encode+decode`,
        metric: "MB/s",
        value: roundTrip * mb,
        unit: "MB/s",
        baseline: jsonRoundTrip * mb,
        baselineName,
      }),
      row({
        suite: "labgob",
        case: `${caseName}: encode`,
        metric: "messages/s",
        value: rate("labgob encode"),
        unit: "msg/s",
        baseline: rate("JSON encode"),
        baselineName: "JSON.stringify",
      }),
      row({
        suite: "labgob",
        case: `${caseName}: decode`,
        metric: "messages/s",
        value: rate("labgob decode"),
        unit: "msg/s",
        baseline: rate("JSON decode"),
        baselineName: "JSON.parse",
      }),
      row({
        suite: "labgob",
        case: `valueCodec, key/value command (${encodedCommand.length} B): encode+decode`,
        metric: "values/s",
        value: rate("value encode+decode"),
        unit: "values/s",
        baseline: rate("value JSON"),
        baselineName,
      }),
    ];
  },
};

export default suite;
