import { LabError } from "@lab/labgob";

/**
 * The base of every error the key/value packages throw on purpose (`code` `"LAB_KV"`). Network
 * faults are never errors: clerks retry through them.
 */
export class KvError extends LabError {
  static override readonly code: string = "LAB_KV";
}

/** An argument to a key/value API was of the wrong kind or out of range: a programming error. */
export class KvUsageError extends KvError {
  static override readonly code: string = "LAB_KV_USAGE";
}

/**
 * A clerk was asked to start an operation while another one of its operations was still
 * running. A clerk has at most one request outstanding: the server's duplicate detection relies
 * on it (each request proves the clerk saw the reply to its previous one). Use one clerk per
 * concurrent caller.
 */
export class ClerkBusyError extends KvError {
  static override readonly code: string = "LAB_KV_CLERK_BUSY";
  constructor(
    readonly operation: string,
    readonly pending: string,
  ) {
    super(
      `clerk asked to ${operation} while its ${pending} is still outstanding (a clerk runs one operation at a time)`,
    );
  }
}

/**
 * The clerk's end was shut down (deleted or its transport closed) while an operation was
 * outstanding: no retry can ever get through. Whether the operation took effect is unknown.
 */
export class ClerkClosedError extends KvError {
  static override readonly code: string = "LAB_KV_CLERK_CLOSED";
  constructor(
    readonly operation: string,
    readonly endName: string,
  ) {
    super(`clerk's end "${endName}" was closed during ${operation}; its outcome is unknown`);
  }
}
