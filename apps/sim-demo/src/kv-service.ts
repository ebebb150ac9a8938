import { field, type Infer, message } from "@lab/labgob";
import { type Clock, defineService, RpcServer } from "@lab/labrpc";

/** A request carries the clerk's id and sequence number so a retry is recognised. */
const KvRequest = message("KvRequest", {
  op: field.enum(["get", "put", "append"], 1),
  key: field.string(2),
  value: field.string(3),
  clientId: field.uint(4),
  seq: field.uint(5),
});
const KvReply = message("KvReply", { value: field.string(1) });

export type KvRequest = Infer<typeof KvRequest>;
export type KvReply = Infer<typeof KvReply>;

export const KvService = defineService("KV", { Apply: { request: KvRequest, reply: KvReply } });

export interface KvServerOptions {
  /** Remember each clerk's last request so a retried write is applied at most once. */
  readonly deduplicate: boolean;
  /** Time a request takes to serve, so that requests overlap. */
  readonly serviceTimeMs: number;
  readonly clock: Clock;
}

/**
 * The single-server key/value service of the course's lab 2, at-most-once when `deduplicate` is
 * on. Without it, a write whose reply was lost is applied again when the clerk retries: the bug
 * the demo lets porcupine find.
 */
export function kvServer(options: KvServerOptions): { rpc: RpcServer; data: Map<string, string> } {
  const data = new Map<string, string>();
  const lastSeen = new Map<number, { seq: number; reply: KvReply }>();
  const rpc = new RpcServer().addService(KvService, {
    async Apply(req) {
      await options.clock.sleep(options.serviceTimeMs);
      const seen = lastSeen.get(req.clientId);
      if (options.deduplicate && seen !== undefined && seen.seq === req.seq) return seen.reply;
      const old = data.get(req.key) ?? "";
      if (req.op === "put") data.set(req.key, req.value);
      if (req.op === "append") data.set(req.key, old + req.value);
      const reply = { value: req.op === "get" ? old : "" };
      if (options.deduplicate) lastSeen.set(req.clientId, { seq: req.seq, reply });
      return reply;
    },
  });
  return { rpc, data };
}
