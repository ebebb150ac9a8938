import type { ClientEnd } from "../client-end.js";
import { Network, type NetworkOptions } from "../network/network.js";
import type { RpcServer } from "../rpc-server.js";
import { Simulator } from "../sim/simulator.js";
import type { ServedPeer, TransportHarness } from "./transport-compliance.js";

/** Options of {@link createSimulatedHarness}. */
export interface SimulatedHarnessOptions {
  /** Simulator seed (default 1). */
  readonly seed?: number;
  /** Options of the simulated network (reliable by default). */
  readonly network?: NetworkOptions;
}

/**
 * A {@link TransportHarness} for the simulated {@link Network}: each served server gets a name,
 * each end is connected to it and enabled, `kill` deletes the server, and `settle` runs the
 * simulator until the promise settles.
 */
export function createSimulatedHarness(options: SimulatedHarnessOptions = {}): TransportHarness & {
  readonly simulator: Simulator;
  readonly network: Network;
} {
  const simulator = new Simulator({ seed: options.seed ?? 1 });
  const network = new Network(simulator, options.network);
  let servers = 0;
  let ends = 0;
  return {
    name: "simulated network",
    simulator,
    network,
    async serve(rpc: RpcServer): Promise<ServedPeer> {
      const serverName = `server-${++servers}`;
      network.addServer(serverName, rpc);
      return {
        end(name?: string): ClientEnd {
          const endName = name ?? `end-${++ends}`;
          const end = network.makeEnd(endName);
          network.connect(endName, serverName);
          network.enable(endName, true);
          return end;
        },
        async kill() {
          network.deleteServer(serverName);
        },
      };
    },
    settle: (promise) => simulator.settle(promise),
    sleep: (ms) => simulator.sleep(ms),
    async close() {
      network.cleanup();
    },
  };
}
