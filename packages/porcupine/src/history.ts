/**
 * Histories: what clients of a concurrent system did and saw.
 *
 * Times are plain numbers on any monotonic scale (nanoseconds, milliseconds, line numbers).
 * Only their order matters. An operation whose `call` equals another operation's `return` is
 * treated as concurrent with it: the checker orders calls before returns at equal times, because
 * two clocks that read the same value cannot tell which event came first.
 */

/** Identifies a client (a process, a thread, a connection) in a history. */
export type ClientId = number | string;

/**
 * One completed (or never completed) operation of a history.
 *
 * An operation that never returned (the client crashed or timed out, so its effect may or may not
 * have happened) has `return: Infinity` and an output its model accepts for any outcome (the
 * built-in models use `{ type: "unknown" }`): it may then take effect at any point after its call,
 * or never.
 */
export interface Operation<Input, Output> {
  /** Who issued the operation; used by reports to draw one lane per client. */
  readonly clientId: ClientId;
  /** What was asked. */
  readonly input: Input;
  /** When it was invoked. */
  readonly call: number;
  /** What was answered (for an operation that never returned: an "unknown" output). */
  readonly output: Output;
  /** When the answer arrived; `Infinity` for an operation that never returned. */
  readonly return: number;
}

/** The invocation half of an operation, as recorded by an event log. */
export interface CallEvent<Input> {
  readonly kind: "call";
  readonly clientId: ClientId;
  /** Matches this call with its return; unique among the calls of a history. */
  readonly id: number | string;
  readonly value: Input;
  /** When it happened; when absent the event's position in the list is its time. */
  readonly time?: number;
}

/** The completion half of an operation, as recorded by an event log. */
export interface ReturnEvent<Output> {
  readonly kind: "return";
  readonly clientId: ClientId;
  /** The `id` of the matching call. */
  readonly id: number | string;
  readonly value: Output;
  /** When it happened; when absent the event's position in the list is its time. */
  readonly time?: number;
}

/** A call or a return. A call without a return is an operation that never returned. */
export type HistoryEvent<Input, Output> = CallEvent<Input> | ReturnEvent<Output>;

/** The output the built-in models accept for an operation whose outcome is not known. */
export interface UnknownOutput {
  readonly type: "unknown";
}

/** The output of an operation whose outcome is not known (timed out, crashed). */
export const UNKNOWN_OUTPUT: UnknownOutput = Object.freeze({ type: "unknown" });
