import { field, type Infer, message } from "@lab/labgob";

/**
 * The operations in a kvraft log: a clerk's Get, Put and Append, and `noop`, which a new leader
 * that serves reads through ReadIndex appends once in its term (it changes nothing). New kinds
 * go at the end: the position is the wire value.
 */
export const OP_KINDS = ["get", "put", "append", "noop"] as const;
/** One of {@link OP_KINDS}. */
export type OpKind = (typeof OP_KINDS)[number];

/**
 * One client operation as it travels through the Raft log (the course's `Op`). Every server
 * applies the same sequence of these, so every server computes the same state. `(clientId, seq)`
 * names the operation: a retry carries the same pair, which is how a write that reaches the log
 * twice is executed once.
 */
export const KvOp = message("KvOp", {
  kind: field.enum(OP_KINDS, 1),
  key: field.string(2),
  value: field.string(3),
  clientId: field.uint(4),
  seq: field.uint(5),
});
/** One client operation in the log: see {@link KvOp}. */
export type KvOp = Infer<typeof KvOp>;
