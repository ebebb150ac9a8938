import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { RpcServer } from "../src/rpc-server.js";
import { TcpTransport } from "../src/tcp/tcp-transport.js";
import { Probe } from "../src/testing/transport-probe.js";

const TRACKED = ["TCPServerWrap", "TCPSocketWrap", "TCPWRAP", "Timeout"];

function handles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (TRACKED.includes(kind)) counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

function rpc(): RpcServer {
  return new RpcServer().addService(Probe, {
    Echo: (request) => ({ id: request.id, payload: request.payload }),
    Hang: () => new Promise(() => {}),
    Fail: (text) => text,
    Strict: (text) => text,
  });
}

const ping = { id: 1, delayMs: 0, payload: new Uint8Array([1]) };

describe("clean shutdown", () => {
  it("leaves no socket, server or timer behind once servers and ends are closed", async () => {
    const before = handles();
    const transport = new TcpTransport();
    const servers = await Promise.all([transport.serve(rpc()), transport.serve(rpc())]);
    const ends = servers.flatMap((s) => [transport.end(s.address), transport.end(s.address)]);
    for (const end of ends) {
      expect((await end.call(Probe.methods.Echo, ping, { timeoutMs: 60_000 })).ok).toBe(true);
    }
    // A call still waiting (with a timer) when everything shuts down.
    const stuck = ends[0]?.call(Probe.methods.Hang, ping, { timeoutMs: 60_000 });
    expect(handles()).not.toEqual(before);
    await transport.close();
    expect((await stuck)?.ok).toBe(false);
    // No more handles of any kind than before. Not equality: the worker's own timers (vitest's,
    // other files' in the same thread) may come and go meanwhile; seen in CI under load.
    const after = handles();
    for (const kind of TRACKED) {
      expect(after[kind] ?? 0, `${kind} handles left behind`).toBeLessThanOrEqual(
        before[kind] ?? 0,
      );
    }
  });

  it("lets a process exit by itself once its server and ends are closed", async () => {
    const { code, stdout, stderr } = await runChild(`
      const server = new TcpServer(probeRpc());
      const { port } = await server.listen();
      const end = new TcpClientEnd({ host: "127.0.0.1", port });
      const result = await end.call(Probe.methods.Echo, ping, { timeoutMs: 60000 });
      await Promise.all([end.close(), server.close()]);
      console.log("ok", result.ok);
    `);
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: "ok true\n", stderr: "" });
  }, 90_000);

  it("lets a process exit with an idle end it forgot to close", async () => {
    // The server lives in this (test) process and keeps the connection open: only the child's
    // idle, unreferenced socket is left, and it must not hold the child's event loop.
    const transport = new TcpTransport();
    const server = await transport.serve(rpc());
    try {
      const { code, stdout, stderr } = await runChild(`
        const end = new TcpClientEnd({ host: "127.0.0.1", port: ${server.address.port} });
        const result = await end.call(Probe.methods.Echo, ping, { timeoutMs: 60000 });
        console.log("ok", result.ok, end.stats.state);
      `);
      expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: "ok true open\n", stderr: "" });
    } finally {
      await transport.close();
    }
  }, 90_000);
});

/** Runs `body` as an ES module in a fresh Node process (via tsx, against the sources). */
function runChild(body: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const require = createRequire(import.meta.url);
  const tsx = require.resolve("tsx/cli");
  const source = fileURLToPath(new URL("../src/index.ts", import.meta.url));
  const probe = fileURLToPath(new URL("../src/testing/transport-probe.ts", import.meta.url));
  const script = `
    const { RpcServer, TcpServer, TcpClientEnd } = await import(${JSON.stringify(source)});
    const { Probe } = await import(${JSON.stringify(probe)});
    const probeRpc = () => new RpcServer().addService(Probe, {
      Echo: (r) => ({ id: r.id, payload: r.payload }),
      Hang: () => new Promise(() => {}), Fail: (t) => t, Strict: (t) => t,
    });
    const ping = { id: 1, delayMs: 0, payload: new Uint8Array([1]) };
    ${body}
  `;
  return new Promise((resolve) => {
    // The generous timeout only turns a hang into a failure; it bounds nothing that passes.
    const child = execFile(
      process.execPath,
      [tsx, "--conditions=@lab/source", "--input-type=module", "-e", script],
      { timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : (child.exitCode ?? -1), stdout, stderr }),
    );
  });
}
