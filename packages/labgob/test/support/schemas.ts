import { field, type Infer, message } from "../../src/index.js";

/**
 * Declares the test schemas. Called once for the exports below, and again by the differential
 * test with code generation turned off.
 */
export function defineSchemas() {
  /** The raft messages the course's labs send, as the issue describes them. */
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

  const Inner = message("Inner", {
    n: field.int(1),
    tags: field.repeated(field.string(), 2),
  });

  /** Every kind and cardinality at least once. */
  const Everything = message("Everything", {
    int: field.int(1),
    uint: field.uint(2),
    double: field.double(3),
    bool: field.bool(4),
    string: field.string(5),
    bytes: field.bytes(6),
    bigint: field.bigint(7),
    role: field.enum(["follower", "candidate", "leader"], 8),
    inner: field.message(Inner, 9),
    value: field.value(10),
    ints: field.repeated(field.int(), 11),
    uints: field.repeated(field.uint(), 12),
    doubles: field.repeated(field.double(), 13),
    bools: field.repeated(field.bool(), 14),
    strings: field.repeated(field.string(), 15),
    blobs: field.repeated(field.bytes(), 16),
    bigints: field.repeated(field.bigint(), 17),
    roles: field.repeated(field.enum(["a", "b"]), 18),
    inners: field.repeated(field.message(Inner), 19),
    values: field.repeated(field.value(), 20),
    maybeInt: field.optional(field.int(), 21),
    maybeString: field.optional(field.string(), 22),
    maybeInner: field.optional(field.message(Inner), 23),
    maybeValue: field.optional(field.value(), 24),
    maybeBytes: field.optional(field.bytes(), 25),
    counts: field.map(field.uint(), 26),
    named: field.map(field.message(Inner), 27),
    extras: field.map(field.value(), 28),
    // A large field number exercises the sparse field lookup.
    far: field.string(100000),
  });
  return { LogEntry, AppendEntriesArgs, Inner, Everything };
}

export const { LogEntry, AppendEntriesArgs, Inner, Everything } = defineSchemas();
export type AppendEntriesArgs = Infer<typeof AppendEntriesArgs>;
export type Everything = Infer<typeof Everything>;
