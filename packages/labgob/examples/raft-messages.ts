import { CodecError, codecs, field, type Infer, message, valueCodec } from "@lab/labgob";

// Schemas are declared once; the TypeScript types are inferred from them.
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

const args: AppendEntriesArgs = {
  term: 3,
  leaderId: 1,
  prevLogIndex: 10,
  prevLogTerm: 2,
  entries: [{ term: 3, index: 11, command: new TextEncoder().encode("x=1") }],
  leaderCommit: 10,
};

// Encode to bytes and back: a plain object, equal to the original.
const bytes = AppendEntriesArgs.encode(args);
const back = AppendEntriesArgs.decode(bytes);
console.log(bytes.length, back.entries[0]?.index); // 22 11

// Arbitrary command values (the course's interface{}): JSON-like data, bytes and bigints.
const command = valueCodec.decode(valueCodec.encode({ op: "Put", key: "k", seq: 7n }));
console.log(command); // { op: 'Put', key: 'k', seq: 7n }

// Single values, e.g. an RPC whose argument is one int.
console.log(codecs.int.decode(codecs.int.encode(-5))); // -5

// Strict: a field the schema lacks is an error, not silently dropped.
try {
  AppendEntriesArgs.encode({ ...args, leaderID: 1 } as AppendEntriesArgs);
} catch (e) {
  if (e instanceof CodecError) console.log(e.path, e.reason);
  // $.leaderID AppendEntriesArgs has no field "leaderID"; it would be dropped on the wire
}
