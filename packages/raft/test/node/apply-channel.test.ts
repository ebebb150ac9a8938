import { codecs } from "@lab/labgob";
import { Simulator } from "@lab/labrpc";
import { describe, expect, it } from "vitest";
import type { ApplyMsg } from "../../src/index.js";
import { ApplyChannel, makeRaft, Persister, RaftUsageError } from "../../src/index.js";

const command = (index: number): ApplyMsg<string> => ({
  commandValid: true,
  command: `c${index}`,
  commandIndex: index,
  commandTerm: 1,
  snapshotValid: false,
});

describe("ApplyChannel", () => {
  it("delivers in order and resolves each send only when the consumer took it", async () => {
    const ch = new ApplyChannel<string>();
    const events: string[] = [];
    const sent = [1, 2, 3].map((i) => ch.send(command(i)).then(() => events.push(`taken ${i}`)));
    const got: number[] = [];
    for await (const msg of ch) {
      if (msg.commandValid) got.push(msg.commandIndex);
      events.push(`consumed ${got.at(-1)}`);
      if (got.length === 3) ch.close();
    }
    await Promise.all(sent);
    expect(got).toEqual([1, 2, 3]);
    // Nothing is taken before the consumer asks for it.
    expect(events.indexOf("taken 1")).toBeLessThan(events.indexOf("taken 2"));
    expect(events.filter((e) => e.startsWith("taken"))).toHaveLength(3);
  });

  it("a send waits while nobody consumes", async () => {
    const ch = new ApplyChannel<string>();
    let taken = false;
    void ch.send(command(1)).then(() => {
      taken = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(taken).toBe(false);
    const it = ch[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.value).toEqual(command(1));
    await new Promise((r) => setImmediate(r));
    expect(taken).toBe(true);
  });

  it("releases pending senders when the consumer stops early, and drops later sends", async () => {
    const ch = new ApplyChannel<string>();
    const a = ch.send(command(1));
    const b = ch.send(command(2));
    for await (const _ of ch) break;
    await expect(Promise.all([a, b])).resolves.toBeDefined();
    expect(ch.closed).toBe(true);
    await expect(ch.send(command(3))).resolves.toBeUndefined();
  });

  it("allows one consumer at a time", async () => {
    const ch = new ApplyChannel<string>();
    const first = ch[Symbol.asyncIterator]();
    void first.next();
    const second = ch[Symbol.asyncIterator]();
    await expect(second.next()).rejects.toBeInstanceOf(RaftUsageError);
    ch.close();
  });

  it("carries a single-node peer's commits to a for-await consumer", async () => {
    const sim = new Simulator({ seed: 3 });
    const ch = new ApplyChannel<string>();
    const raft = makeRaft<string>({
      peers: [undefined],
      me: 0,
      persister: new Persister(),
      apply: ch.send,
      clock: sim,
      random: sim.random.fork("raft"),
      codec: codecs.string,
    });
    const got: string[] = [];
    const consumer = (async () => {
      for await (const msg of ch) {
        if (msg.commandValid) got.push(`${msg.commandIndex}:${msg.command}`);
        if (got.length === 2) ch.close();
      }
    })();
    await sim.settle(
      (async () => {
        while (!raft.getState().isLeader) await sim.sleep(100);
        expect(raft.start("a").index).toBe(1);
        expect(raft.start("b").index).toBe(2);
        await consumer;
      })(),
      { timeoutMs: 10_000 },
    );
    raft.kill();
    expect(got).toEqual(["1:a", "2:b"]);
  });
});
