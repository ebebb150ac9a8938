import type { ClientEnd } from "../client-end.js";
import { LocalTransport, type LocalTransportOptions } from "../local/local-transport.js";
import type { RpcServer } from "../rpc-server.js";
import { RealClock } from "../runtime/real-clock.js";
import type { ServedPeer, TransportHarness } from "./transport-compliance.js";

/**
 * A {@link TransportHarness} for the {@link LocalTransport}: each served server gets a name,
 * `settle` just awaits (time is real) and `kill` closes the server.
 */
export function createLocalHarness(options: LocalTransportOptions = {}): TransportHarness {
  const transport = new LocalTransport(options);
  const clock = new RealClock();
  let servers = 0;
  let ends = 0;
  return {
    name: `local (${options.delivery ?? "macrotask"})`,
    async serve(rpc: RpcServer): Promise<ServedPeer> {
      const server = transport.serve(`local-${++servers}`, rpc);
      return {
        end: (name?: string): ClientEnd =>
          transport.end(server.name, name ?? `local-end-${++ends}`),
        kill: async () => server.close(),
      };
    },
    settle: (promise) => promise,
    sleep: (ms) => clock.sleep(ms),
    close: async () => transport.close(),
  };
}
