import type { CallOptions, Random } from "@lab/labrpc";
import { KvUsageError } from "./errors.js";
import { randomClientId } from "./kvsrv/client-id.js";

/** The options every clerk here takes, as given. */
export interface CommonClerkOptions {
  readonly random?: Random;
  readonly clientId?: number;
  readonly retryDelayMs?: number;
  readonly callTimeoutMs?: number;
}

/** Those options checked and filled in. */
export interface ClerkSettings {
  readonly clientId: number;
  readonly retryDelayMs: number;
  readonly callOptions: CallOptions;
}

/**
 * Validates a clerk's options (throwing {@link KvUsageError} naming the bad one) and draws its
 * id from `random` unless a `clientId` is given. `what` names the clerk class in messages.
 */
export function clerkSettings(
  what: string,
  options: CommonClerkOptions,
  defaultRetryDelayMs: number,
): ClerkSettings {
  const retryDelayMs = options.retryDelayMs ?? defaultRetryDelayMs;
  if (!(retryDelayMs >= 0) || !Number.isFinite(retryDelayMs)) {
    throw new KvUsageError(`retryDelayMs must be a finite number >= 0, got ${retryDelayMs}`);
  }
  const timeoutMs = options.callTimeoutMs;
  if (timeoutMs !== undefined && !(timeoutMs > 0 && Number.isFinite(timeoutMs))) {
    throw new KvUsageError(`callTimeoutMs must be a finite number > 0, got ${timeoutMs}`);
  }
  let clientId: number;
  if (options.clientId !== undefined) {
    if (!Number.isSafeInteger(options.clientId) || options.clientId < 0) {
      throw new KvUsageError(
        `clientId must be a non-negative safe integer, got ${options.clientId}`,
      );
    }
    clientId = options.clientId;
  } else if (options.random !== undefined) {
    clientId = randomClientId(options.random);
  } else {
    throw new KvUsageError(`a ${what} needs either a random source (for its id) or a clientId`);
  }
  return { clientId, retryDelayMs, callOptions: timeoutMs === undefined ? {} : { timeoutMs } };
}
