import { RealClock, SeededRandom, TcpTransport } from "@lab/labrpc";
import { afterEach, describe, expect, it } from "vitest";
import { addKvsrvService, Clerk, KvServer, KvsrvService } from "../src/kvsrv/index.js";

// The same server and clerk as on the simulator, over real TCP with a real clock.
describe("kvsrv over TCP", () => {
  const transports: TcpTransport[] = [];
  afterEach(async () => {
    await Promise.all(transports.splice(0).map((t) => t.close()));
  });
  const transport = () => {
    const t = new TcpTransport({ closeGraceMs: 0 });
    transports.push(t);
    return t;
  };

  it("serves concurrent clerks, each append once and in order", async () => {
    const t = transport();
    const server = new KvServer();
    const listening = await t.serve(addKvsrvService(server));
    const clock = new RealClock();
    const random = new SeededRandom(1);
    const clerks = Array.from(
      { length: 4 },
      () => new Clerk(t.end(listening.address), { clock, random, callTimeoutMs: 2000 }),
    );
    await Promise.all(
      clerks.map(async (ck, i) => {
        for (let j = 0; j < 20; j++) {
          const old = await ck.append("shared", `<${i}.${j}>`);
          expect(old).not.toContain(`<${i}.${j}>`);
          if (j > 0) expect(old).toContain(`<${i}.${j - 1}>`);
        }
      }),
    );
    const value = await clerks[0]!.get("shared");
    for (let i = 0; i < 4; i++) {
      let previous = -1;
      for (let j = 0; j < 20; j++) {
        const at = value.indexOf(`<${i}.${j}>`);
        expect(at).toBeGreaterThan(previous);
        expect(value.lastIndexOf(`<${i}.${j}>`)).toBe(at);
        previous = at;
      }
    }
    expect(server.stats()).toMatchObject({ keys: 1, writers: 4 });
  });

  it("recognises a duplicate request that arrives after the clerk moved on", async () => {
    const t = transport();
    const server = new KvServer();
    const listening = await t.serve(addKvsrvService(server));
    const end = t.end(listening.address);
    const append = { key: "k", value: "x", clientId: 9, seq: 1 };
    const first = await end.call(KvsrvService.methods.Append, append);
    const retry = await end.call(KvsrvService.methods.Append, append);
    expect(first).toEqual({ ok: true, reply: { value: "" } });
    expect(retry).toEqual({ ok: true, reply: { value: "" } });
    await end.call(KvsrvService.methods.Get, { key: "k", clientId: 9, seq: 2 });
    // A copy of request 1 still in flight (say, in the old connection's buffers) arrives now.
    const stale = await end.call(KvsrvService.methods.Append, append);
    expect(stale.ok).toBe(true);
    expect(server.stats()).toMatchObject({ valueChars: 1, heldReplies: 0 });
  });

  it("keeps retrying while the server is down, and finishes once it is back", async () => {
    const t = transport();
    const server = new KvServer();
    const first = await t.serve(addKvsrvService(server));
    const port = first.address.port;
    const clerk = new Clerk(t.end(first.address), {
      clock: new RealClock(),
      clientId: 1,
      callTimeoutMs: 200,
      retryDelayMs: 20,
    });
    await clerk.put("k", "before");
    await first.close();
    const pending = clerk.append("k", "+after");
    await new RealClock().sleep(150);
    await t.serve(addKvsrvService(server), { port });
    expect(await pending).toBe("before");
    expect(await clerk.get("k")).toBe("before+after");
    expect(clerk.stats.retries).toBeGreaterThan(0);
  });
});
