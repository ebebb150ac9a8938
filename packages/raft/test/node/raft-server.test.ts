import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { codecs, field, message } from "@lab/labgob";
import { defineService, TcpTransport } from "@lab/labrpc";
import { afterAll, describe, expect, it } from "vitest";
import { MemoryStorage, RaftUsageError } from "../../src/index.js";
import { RaftServer } from "../../src/server/index.js";
import { TmpDirs } from "../disk/tmp-dirs.js";

const dirs = new TmpDirs();
afterAll(() => dirs.cleanup());

const apply = () => {};

/** A port bound by a plain server of this test (so RaftServer cannot have it). */
async function occupiedPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return { port: address.port, server };
}

async function waitFor(cond: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("condition not reached");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("RaftServer.open", () => {
  it("refuses malformed options with RaftUsageError", async () => {
    const storage = new MemoryStorage();
    const cases = [
      { id: 0, addresses: [], storage, apply },
      { id: 3, addresses: ["127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"], storage, apply },
      { id: 0.5, addresses: ["127.0.0.1:1"], storage, apply },
      { id: 0, addresses: ["127.0.0.1:1"], apply },
      { id: 0, addresses: ["127.0.0.1:1"], storage, dir: "/tmp/x", apply },
      { id: 0, addresses: ["127.0.0.1:1"], storage, apply, rpcTimeoutMs: 0 },
      { id: 0, addresses: ["127.0.0.1:1", "127.0.0.1:1"], storage, apply },
    ];
    for (const options of cases) {
      await expect(RaftServer.open(options), JSON.stringify(options.addresses)).rejects.toThrow(
        RaftUsageError,
      );
    }
    await expect(
      RaftServer.open({ id: 0, addresses: ["nonsense"], storage, apply }),
    ).rejects.toThrow(/host:port/);
  });

  it("a single peer on disk: leads, applies, and recovers its log after close", async () => {
    const dir = join(dirs.make("lab-raft-server-"), "peer-0");
    const applied: string[] = [];
    const open = () =>
      RaftServer.open<string>({
        id: 0,
        addresses: ["127.0.0.1:0"],
        dir,
        codec: codecs.string,
        apply: (msg) => {
          if (msg.commandValid) applied.push(`${msg.commandIndex}:${msg.command}`);
        },
      });
    const first = await open();
    expect(first.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(first.address).not.toBe("127.0.0.1:0");
    expect(first.recovered).toEqual({
      term: 0,
      votedFor: null,
      commit: 0,
      snapshotIndex: 0,
      lastIndex: 0,
    });
    await waitFor(() => first.getState().isLeader);
    expect(first.start("x=1")).toMatchObject({ index: 1, isLeader: true });
    expect(first.start("y=2")).toMatchObject({ index: 2, isLeader: true });
    await waitFor(() => applied.length === 2);
    expect(first.status()).toMatchObject({ role: "leader", commit: 2, lastIndex: 2 });
    await first.close();
    expect(first.closed).toBe(true);
    expect(first.getState().isLeader).toBe(false);

    // Same directory again: the log is recovered and applied again from index 1.
    applied.length = 0;
    const second = await open();
    expect(second.recovered.lastIndex).toBe(2);
    expect(second.recovered.term).toBeGreaterThanOrEqual(1);
    await waitFor(() => applied.length === 2);
    expect(applied).toEqual(["1:x=1", "2:y=2"]);
    await second.close();
  });

  it("a port in use: rejects with EADDRINUSE and leaves the directory unlocked", async () => {
    const dir = join(dirs.make("lab-raft-server-"), "peer-0");
    const { port, server } = await occupiedPort();
    try {
      await expect(
        RaftServer.open({ id: 0, addresses: [`127.0.0.1:${port}`], dir, apply }),
      ).rejects.toMatchObject({ code: "EADDRINUSE" });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    // The failed open released its DiskStorage: the directory opens again.
    const again = await RaftServer.open({ id: 0, addresses: ["127.0.0.1:0"], dir, apply });
    await again.close();
  });

  it("services: an extra service is served on the peer's port, beside Raft", async () => {
    const Echo = defineService("Echo", {
      Say: {
        request: message("Said", { text: field.string(1) }),
        reply: message("Heard", { text: field.string(1) }),
      },
    });
    let given: unknown;
    const server = await RaftServer.open({
      id: 0,
      addresses: ["127.0.0.1:0"],
      storage: new MemoryStorage(),
      apply,
      services: (rpc, raft) => {
        given = raft;
        rpc.addService(Echo, { Say: ({ text }) => ({ text: `${text}!` }) });
      },
    });
    const client = new TcpTransport();
    try {
      expect(given).toBe(server.raft);
      const reply = await client.end(server.address).call(Echo.methods.Say, { text: "hi" });
      expect(reply).toEqual({ ok: true, reply: { text: "hi!" } });
    } finally {
      await client.close();
      await server.close();
    }
  });

  it("services that throw: open rejects with that error and leaves the directory unlocked", async () => {
    const dir = join(dirs.make("lab-raft-server-"), "peer-0");
    const broken = new Error("no such service");
    await expect(
      RaftServer.open({
        id: 0,
        addresses: ["127.0.0.1:0"],
        dir,
        apply,
        services: () => {
          throw broken;
        },
      }),
    ).rejects.toBe(broken);
    const again = await RaftServer.open({ id: 0, addresses: ["127.0.0.1:0"], dir, apply });
    await again.close();
    await expect(
      RaftServer.open({
        id: 0,
        addresses: ["127.0.0.1:0"],
        dir,
        apply,
        services: "Echo" as unknown as () => void,
      }),
    ).rejects.toThrow(RaftUsageError);
  });

  it("a caller's storage is used and left open", async () => {
    const storage = new MemoryStorage();
    const server = await RaftServer.open({ id: 0, addresses: ["127.0.0.1:0"], storage, apply });
    expect(server.storage).toBe(storage);
    await waitFor(() => server.getState().isLeader);
    await server.close();
    expect(storage.initialState().hardState.term).toBeGreaterThanOrEqual(1);
  });
});
