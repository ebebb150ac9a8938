import type { ClientEnd } from "../client-end.js";
import type { RpcServer } from "../rpc-server.js";
import { RealClock } from "../runtime/real-clock.js";
import type { TcpClientEnd } from "../tcp/tcp-client-end.js";
import { TcpTransport, type TcpTransportOptions } from "../tcp/tcp-transport.js";
import type { ServedPeer, TransportHarness } from "./transport-compliance.js";

/**
 * A {@link TransportHarness} for the TCP transport: servers listen on 127.0.0.1 on a free port,
 * `settle` just awaits (time is real), and `kill` closes the server with no grace period.
 */
export function createTcpHarness(options: TcpTransportOptions = {}): TransportHarness {
  const transport = new TcpTransport(options);
  const clock = new RealClock();
  let ends = 0;
  return {
    name: options.tls === undefined ? "tcp" : "tls",
    async serve(rpc: RpcServer): Promise<ServedPeer> {
      const server = await transport.serve(rpc, { host: "127.0.0.1", port: 0 });
      return {
        end: (name?: string): ClientEnd => {
          const end: TcpClientEnd = transport.end(server.address, {
            name: name ?? `tcp-end-${++ends}`,
          });
          return end;
        },
        kill: () => server.close({ graceMs: 0 }),
      };
    },
    settle: (promise) => promise,
    sleep: (ms) => clock.sleep(ms),
    close: () => transport.close(),
  };
}
