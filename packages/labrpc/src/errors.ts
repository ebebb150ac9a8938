import { LabError } from "@lab/labgob";

/** A call named a service or method that the server does not have: a programming error. */
export class UnknownMethodError extends LabError {
  static override readonly code: string = "LAB_RPC_UNKNOWN_METHOD";
  constructor(
    readonly method: string,
    readonly known: readonly string[],
  ) {
    const hint = known.length > 0 ? `known methods: ${known.join(", ")}` : "it has no services";
    super(`unknown RPC method "${method}" (${hint})`);
  }
}

/** A service handler threw while serving a call; the caller sees the handler's message. */
export class HandlerError extends LabError {
  static override readonly code: string = "LAB_RPC_HANDLER";
  constructor(
    readonly method: string,
    readonly remoteMessage: string,
    options?: { cause?: unknown },
  ) {
    super(`handler for "${method}" failed: ${remoteMessage}`, options);
  }
}

/** The server could not decode a request: client and server disagree on the method's types. */
export class BadRequestError extends HandlerError {
  static override readonly code: string = "LAB_RPC_BAD_REQUEST";
}

/** A service was registered twice on one server, or a descriptor is malformed. */
export class ServiceDefinitionError extends LabError {
  static override readonly code: string = "LAB_RPC_SERVICE_DEFINITION";
}

/** An argument to a labrpc API was out of range or of the wrong kind. */
export class RpcUsageError extends LabError {
  static override readonly code: string = "LAB_RPC_USAGE";
}

/** The simulator ran out of events while a caller still waited: nothing can ever happen again. */
export class SimulationDeadlockError extends LabError {
  static override readonly code: string = "LAB_SIM_DEADLOCK";
}

/** A `settle`/`runUntil` exceeded its virtual-time budget or the simulator's event limit. */
export class SimulationTimeoutError extends LabError {
  static override readonly code: string = "LAB_SIM_TIMEOUT";
}
