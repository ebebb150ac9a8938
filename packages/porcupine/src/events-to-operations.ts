import { InvalidHistoryError } from "./errors.js";
import type { ClientId, HistoryEvent, Operation } from "./history.js";

/**
 * Pairs call and return events into operations. An event without `time` takes its position in
 * the list as its time. A call without a return becomes an operation that never returned:
 * `return: Infinity`, with the output `pendingOutput` gives for its input (required when such a
 * call exists). Throws {@link InvalidHistoryError} for a return without its call, a return
 * before its call, a duplicate id, or a return from another client than the call's.
 */
export function eventsToOperations<Input, Output>(
  events: readonly HistoryEvent<Input, Output>[],
  pendingOutput?: (input: Input) => Output,
): Operation<Input, Output>[] {
  if (!Array.isArray(events)) throw new InvalidHistoryError("a history must be an array of events");
  interface Open {
    readonly clientId: ClientId;
    readonly input: Input;
    readonly call: number;
    readonly index: number;
    output?: Output;
    returned?: number;
  }
  const byId = new Map<number | string, Open>();
  const order: Open[] = [];
  events.forEach((event, index) => {
    if (typeof event !== "object" || event === null)
      throw new InvalidHistoryError(`event ${index} is not an object`);
    const time = event.time ?? index;
    if (typeof time !== "number" || Number.isNaN(time)) {
      throw new InvalidHistoryError(`event ${index}: time must be a number, got ${String(time)}`);
    }
    if (event.kind === "call") {
      if (byId.has(event.id))
        throw new InvalidHistoryError(`event ${index}: a second call with id ${String(event.id)}`);
      const open: Open = { clientId: event.clientId, input: event.value, call: time, index };
      byId.set(event.id, open);
      order.push(open);
    } else if (event.kind === "return") {
      const open = byId.get(event.id);
      if (open === undefined) {
        throw new InvalidHistoryError(
          `event ${index}: return of id ${String(event.id)} without an earlier call`,
        );
      }
      if (open.returned !== undefined) {
        throw new InvalidHistoryError(`event ${index}: a second return for id ${String(event.id)}`);
      }
      if (open.clientId !== event.clientId) {
        throw new InvalidHistoryError(
          `event ${index}: return of id ${String(event.id)} comes from client ${String(event.clientId)}, but the call came from ${String(open.clientId)}`,
        );
      }
      if (time < open.call) {
        throw new InvalidHistoryError(
          `event ${index}: return at ${time} before its call at ${open.call} (event ${open.index})`,
        );
      }
      open.output = event.value;
      open.returned = time;
    } else {
      throw new InvalidHistoryError(`event ${index}: kind must be "call" or "return"`);
    }
  });
  return order.map((open) => {
    if (open.returned !== undefined) {
      return {
        clientId: open.clientId,
        input: open.input,
        call: open.call,
        output: open.output as Output,
        return: open.returned,
      };
    }
    if (pendingOutput === undefined) {
      throw new InvalidHistoryError(
        `event ${open.index}: call without a return, and the model has no pendingOutput for operations that never returned`,
      );
    }
    return {
      clientId: open.clientId,
      input: open.input,
      call: open.call,
      output: pendingOutput(open.input),
      return: Number.POSITIVE_INFINITY,
    };
  });
}
