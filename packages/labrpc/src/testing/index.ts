export { createSimulatedHarness, type SimulatedHarnessOptions } from "./simulated-harness.js";
export {
  type ServedPeer,
  type TransportComplianceCase,
  type TransportHarness,
  transportComplianceCases,
} from "./transport-compliance.js";
export { createLocalHarness } from "./transport-local-harness.js";
export {
  Probe,
  ProbeDecodeError,
  ProbeEncodeError,
  type ProbeReply,
  type ProbeRequest,
} from "./transport-probe.js";
export { createTcpHarness } from "./transport-tcp-harness.js";
