import { afterEach, describe, expect, it } from "vitest";
import { RpcServer } from "../src/rpc-server.js";
import { TcpClientEnd } from "../src/tcp/tcp-client-end.js";
import { TcpServer } from "../src/tcp/tcp-server.js";
import { TcpTransport } from "../src/tcp/tcp-transport.js";
import { Probe } from "../src/testing/transport-probe.js";
import { selfSignedCertificate } from "./support/tls.js";

const { key, cert } = selfSignedCertificate();
const transports: TcpTransport[] = [];
afterEach(async () => {
  for (const t of transports.splice(0)) await t.close();
});

function rpc(): RpcServer {
  return new RpcServer().addService(Probe, {
    Echo: (request) => ({ id: request.id, payload: request.payload }),
    Hang: () => new Promise(() => {}),
    Fail: (text) => text,
    Strict: (text) => text,
  });
}

const ping = { id: 9, delayMs: 0, payload: new Uint8Array([9, 9]) };

describe("TLS", () => {
  it("serves calls over TLS to a client that trusts the certificate", async () => {
    const transport = new TcpTransport({
      connectTimeoutMs: 30_000,
      tls: { server: { key, cert }, client: { ca: cert } },
    });
    transports.push(transport);
    const server = await transport.serve(rpc());
    const end = transport.end(server.address);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => end.call(Probe.methods.Echo, { ...ping, id: i })),
    );
    expect(results.map((r) => r.ok && r.reply.id)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(end.stats.connections).toBe(1);
  });

  it("fails the handshake with a client that does not trust it: unreachable, reported", async () => {
    const errors: Error[] = [];
    const server = new TcpServer(rpc(), { tls: { key, cert }, onError: (e) => errors.push(e) });
    const { port } = await server.listen();
    const end = new TcpClientEnd({ host: "127.0.0.1", port }, { tls: {} });
    try {
      expect(await end.call(Probe.methods.Echo, ping)).toEqual({
        ok: false,
        reason: "unreachable",
      });
      expect(end.stats).toMatchObject({ connections: 0, failures: 1 });
      // The server learns of it as a failed handshake (how it is worded depends on the TLS version).
      await until(() => errors.length > 0);
      expect(errors[0]).toBeInstanceOf(Error);
    } finally {
      await end.close();
      await server.close();
    }
  });

  it("does not serve a plain TCP client", async () => {
    const server = new TcpServer(rpc(), { tls: { key, cert } });
    const { port } = await server.listen();
    const end = new TcpClientEnd({ host: "127.0.0.1", port });
    try {
      const result = await end.call(Probe.methods.Echo, ping);
      expect(result.ok).toBe(false);
    } finally {
      await end.close();
      await server.close();
    }
  });
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
