import { field, type Infer, message } from "@lab/labgob";
import { defineService } from "@lab/labrpc";

/**
 * How a kvraft server answers (the course's `Err`): `OK`; `ErrNoKey` for a Get of a key never
 * written (the value is then `""`); `ErrWrongLeader` when this server is not the leader or lost
 * leadership before the operation committed (the clerk tries another server); `ErrTimeout` when
 * the operation did not commit in time (this server may be a leader cut off from its majority).
 */
export const KV_ERRS = ["OK", "ErrNoKey", "ErrWrongLeader", "ErrTimeout"] as const;
/** One of {@link KV_ERRS}. */
export type KvErr = (typeof KV_ERRS)[number];

/** A Get request; `(clientId, seq)` only name it in traces, since a Get changes nothing. */
export const KvGetArgs = message("KvGetArgs", {
  key: field.string(1),
  clientId: field.uint(2),
  seq: field.uint(3),
});
/** A Get request: see {@link KvGetArgs}. */
export type KvGetArgs = Infer<typeof KvGetArgs>;

/** A Get reply: `value` is meaningful when `err` is `OK` (or `ErrNoKey`, then `""`). */
export const KvGetReply = message("KvGetReply", {
  err: field.enum(KV_ERRS, 1),
  value: field.string(2),
});
/** A Get reply: see {@link KvGetReply}. */
export type KvGetReply = Infer<typeof KvGetReply>;

/** A Put or Append request; retries of one operation carry the same `(clientId, seq)`. */
export const KvPutAppendArgs = message("KvPutAppendArgs", {
  key: field.string(1),
  value: field.string(2),
  clientId: field.uint(3),
  seq: field.uint(4),
});
/** A Put or Append request: see {@link KvPutAppendArgs}. */
export type KvPutAppendArgs = Infer<typeof KvPutAppendArgs>;

/** A Put or Append reply. */
export const KvPutAppendReply = message("KvPutAppendReply", { err: field.enum(KV_ERRS, 1) });
/** A Put or Append reply: see {@link KvPutAppendReply}. */
export type KvPutAppendReply = Infer<typeof KvPutAppendReply>;

/**
 * The replicated key/value service, as in the course's lab 4: `KVServer.Get`, `KVServer.Put`
 * and `KVServer.Append`, served next to the `Raft` service on each server.
 */
export const KvRaftService = defineService("KVServer", {
  Get: { request: KvGetArgs, reply: KvGetReply },
  Put: { request: KvPutAppendArgs, reply: KvPutAppendReply },
  Append: { request: KvPutAppendArgs, reply: KvPutAppendReply },
});
