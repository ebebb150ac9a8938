import { codecs, field, type Infer, message } from "@lab/labgob";
import { defineService } from "@lab/labrpc";

/**
 * A Get request. `clientId` and `seq` let the server free the clerk's stored reply to its
 * previous request (this request proves the clerk saw it); a Get itself leaves no state behind.
 */
export const GetArgs = message("GetArgs", {
  key: field.string(1),
  clientId: field.uint(2),
  seq: field.uint(3),
});
/** A Get request: see {@link GetArgs}. */
export type GetArgs = Infer<typeof GetArgs>;

/** A Get reply: the key's value, `""` for a key never written. */
export const GetReply = message("GetReply", { value: field.string(1) });
/** A Get reply: see {@link GetReply}. */
export type GetReply = Infer<typeof GetReply>;

/**
 * A Put or Append request. `(clientId, seq)` names the operation: retries of one operation carry
 * the same pair, so the server executes it at most once.
 */
export const PutAppendArgs = message("PutAppendArgs", {
  key: field.string(1),
  value: field.string(2),
  clientId: field.uint(3),
  seq: field.uint(4),
});
/** A Put or Append request: see {@link PutAppendArgs}. */
export type PutAppendArgs = Infer<typeof PutAppendArgs>;

/** An Append reply: the value the key held just before the append. */
export const AppendReply = message("AppendReply", { value: field.string(1) });
/** An Append reply: see {@link AppendReply}. */
export type AppendReply = Infer<typeof AppendReply>;

/**
 * The kvsrv service, declared once for both sides: `KVServer.Get`, `KVServer.Put` (no reply
 * data) and `KVServer.Append` (replies with the old value), as in the course.
 */
export const KvsrvService = defineService("KVServer", {
  Get: { request: GetArgs, reply: GetReply },
  Put: { request: PutAppendArgs, reply: codecs.void },
  Append: { request: PutAppendArgs, reply: AppendReply },
});
