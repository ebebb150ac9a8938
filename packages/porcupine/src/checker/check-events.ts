import { eventsToOperations } from "../events-to-operations.js";
import type { HistoryEvent } from "../history.js";
import type { Model } from "../model.js";
import { checkOperations, checkOperationsSync } from "./check-operations.js";
import type { CheckOptions } from "./check-options.js";
import type { CheckResult } from "./check-result.js";

/**
 * Checks a history of call and return events (see {@link eventsToOperations}; operation `i` of
 * the result's partitions is the `i`-th call). Calls without a return use the model's
 * `pendingOutput`.
 */
export function checkEventsSync<State, Input, Output>(
  model: Model<State, Input, Output>,
  events: readonly HistoryEvent<Input, Output>[],
  options: CheckOptions = {},
): CheckResult<State> {
  return checkOperationsSync(
    model,
    eventsToOperations(events, model.pendingOutput?.bind(model)),
    options,
  );
}

/** Asynchronous {@link checkEventsSync}, which may use worker threads like {@link checkOperations}. */
export async function checkEvents<State, Input, Output>(
  model: Model<State, Input, Output>,
  events: readonly HistoryEvent<Input, Output>[],
  options: CheckOptions = {},
): Promise<CheckResult<State>> {
  return checkOperations(
    model,
    eventsToOperations(events, model.pendingOutput?.bind(model)),
    options,
  );
}
