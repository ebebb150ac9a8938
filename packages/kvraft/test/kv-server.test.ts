import { MemoryTracer, Simulator } from "@lab/labrpc";
import { describe, expect, it } from "vitest";
import { KvError, KvServer, KvUsageError } from "../src/kvsrv/index.js";

const put = (key: string, value: string, clientId: number, seq: number) => ({
  key,
  value,
  clientId,
  seq,
});

describe("KvServer", () => {
  it("serves get, put and append, append answering the old value", () => {
    const server = new KvServer();
    expect(server.get({ key: "k", clientId: 1, seq: 1 })).toEqual({ value: "" });
    server.put(put("k", "a", 1, 2));
    expect(server.append(put("k", "b", 1, 3))).toEqual({ value: "a" });
    expect(server.get({ key: "k", clientId: 2, seq: 1 })).toEqual({ value: "ab" });
  });

  it("executes a retried put or append once, and answers the retry like the original", () => {
    const server = new KvServer();
    server.put(put("k", "a", 1, 1));
    expect(server.append(put("k", "b", 2, 1))).toEqual({ value: "a" });
    expect(server.append(put("k", "b", 2, 1))).toEqual({ value: "a" });
    server.put(put("k", "ab", 1, 1)); // a retry of clerk 1's first put: not executed again
    expect(server.get({ key: "k", clientId: 3, seq: 1 }).value).toBe("ab");
    server.put(put("k", "z", 3, 2));
    // Clerk 1's first put arriving again after clerk 3's put must not undo it.
    server.put(put("k", "a", 1, 1));
    expect(server.get({ key: "k", clientId: 3, seq: 3 }).value).toBe("z");
  });

  it("frees an append's stored reply on the clerk's next request, a get included", () => {
    const server = new KvServer();
    server.append(put("k", "x".repeat(1000), 1, 1));
    server.append(put("k", "y", 2, 1));
    expect(server.stats()).toMatchObject({ writers: 2, heldReplies: 1, heldReplyChars: 1000 });
    server.get({ key: "k", clientId: 2, seq: 2 });
    expect(server.stats()).toMatchObject({ writers: 2, heldReplies: 0, heldReplyChars: 0 });
    // A late duplicate of clerk 2's append is recognised even though its reply is gone.
    expect(server.append(put("k", "y", 2, 1))).toEqual({ value: "" });
    expect(server.stats()).toMatchObject({ keys: 1, valueChars: 1001 });
  });

  it("keeps nothing for clerks that only get", () => {
    const server = new KvServer();
    server.put(put("k", "v", 0, 1));
    for (let c = 1; c <= 1000; c++) server.get({ key: "k", clientId: c, seq: 1 });
    expect(server.stats()).toEqual({
      keys: 1,
      valueChars: 1,
      writers: 1,
      heldReplies: 0,
      heldReplyChars: 0,
    });
  });

  it("traces each request with the clock's time", () => {
    const tracer = new MemoryTracer();
    const sim = new Simulator({ seed: 1 });
    const server = new KvServer({ tracer, clock: sim });
    server.put(put("k", "v", 5, 1));
    server.put(put("k", "v", 5, 1));
    server.append(put("k", "w", 5, 2));
    server.get({ key: "k", clientId: 5, seq: 3 });
    expect(tracer.lines.map((l) => JSON.parse(l))).toEqual([
      { client: 5, seq: 1, key: "k", duplicate: false, time: 0, kind: "kvsrv.put" },
      { client: 5, seq: 1, key: "k", duplicate: true, time: 0, kind: "kvsrv.put" },
      { client: 5, seq: 2, key: "k", duplicate: false, time: 0, kind: "kvsrv.append" },
      { client: 5, seq: 3, key: "k", time: 0, kind: "kvsrv.get" },
    ]);
  });

  it("refuses a tracer without a clock", () => {
    let error: unknown;
    try {
      new KvServer({ tracer: new MemoryTracer() });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KvUsageError);
    expect(error).toBeInstanceOf(KvError);
    expect((error as KvUsageError).code).toBe("LAB_KV_USAGE");
  });
});
