import type { CheckResult, Verdict } from "../checker/check-result.js";
import type { Operation } from "../history.js";
import { ILLEGAL, isNextStates, type Model } from "../model.js";

/** One history to show in a report: what was checked, with which model, and what was found. */
export interface ReportInput<State, Input, Output> {
  /** Title of the history, e.g. its file name. */
  readonly name: string;
  readonly model: Model<State, Input, Output>;
  readonly history: readonly Operation<Input, Output>[];
  /** The check's result; collect it with `collectInfo: true` to show linearizations. */
  readonly result: CheckResult<State>;
}

/** An operation as the report page draws it. */
export interface ReportOperation {
  readonly client: string;
  /** Position of the call on the report's compressed time axis. */
  readonly start: number;
  /** Position of the return; `null` for an operation that never returned. */
  readonly end: number | null;
  readonly call: number;
  readonly return: number | null;
  readonly label: string;
  readonly partition: number;
}

/** A longest linearizable prefix as the report page shows it. */
export interface ReportPartial {
  readonly operations: readonly number[];
  readonly states: readonly string[];
  readonly stuck: number;
  /** Operations that were candidates to go next after the prefix, and why they could not. */
  readonly candidates: readonly { readonly operation: number; readonly why: string }[];
}

/** A partition as the report page shows it. */
export interface ReportPartition {
  readonly index: number;
  readonly result: Verdict | "skipped";
  readonly reason?: string;
  readonly operations: readonly number[];
  readonly linearization: readonly number[] | null;
  readonly states: readonly string[] | null;
  readonly partials: readonly ReportPartial[];
}

/** Everything the report page needs about one history, as plain JSON. */
export interface ReportHistory {
  readonly name: string;
  readonly result: Verdict;
  readonly reason?: string;
  readonly initialState: string;
  readonly clients: readonly string[];
  readonly axisEnd: number;
  readonly operations: readonly ReportOperation[];
  readonly partitions: readonly ReportPartition[];
}

/**
 * Turns a checked history into the report's JSON: descriptions from the model, a compressed time
 * axis (distinct times in order, so short gaps stay visible next to long ones), and for each
 * stuck prefix, why each candidate could not go next.
 */
export function buildReportHistory<State, Input, Output>(
  input: ReportInput<State, Input, Output>,
): ReportHistory {
  const { model, history, result } = input;
  const describeState = (s: State): string =>
    model.describeState ? model.describeState(s) : safeJson(s);
  const describeOperation = (op: Operation<Input, Output>): string =>
    model.describeOperation
      ? model.describeOperation(op.input, op.output)
      : `${safeJson(op.input)} -> ${safeJson(op.output)}`;

  const times = [
    ...new Set(
      history.flatMap((op) => (Number.isFinite(op.return) ? [op.call, op.return] : [op.call])),
    ),
  ].sort((a, b) => a - b);
  const rank = new Map(times.map((t, i) => [t, i] as const));
  const axisEnd = times.length;
  const partitionOf = new Int32Array(history.length);
  for (const p of result.partitions) for (const i of p.operations) partitionOf[i] = p.index;
  const clients = [...new Set(history.map((op) => String(op.clientId)))].sort(naturalOrder);

  const operations = history.map(
    (op, i): ReportOperation => ({
      client: String(op.clientId),
      start: rank.get(op.call)!,
      end: Number.isFinite(op.return) ? rank.get(op.return)! : null,
      call: op.call,
      return: Number.isFinite(op.return) ? op.return : null,
      label: describeOperation(op),
      partition: partitionOf[i]!,
    }),
  );

  const partitions = result.partitions.map((p): ReportPartition => {
    let states: string[] | null = null;
    if (p.linearization) {
      states = [];
      let state = model.init();
      for (const i of p.linearization) {
        const op = history[i]!;
        const next = model.step(state, op.input, op.output);
        // A linearization always steps legally; with several next states, the report shows the first.
        state = next === ILLEGAL ? state : isNextStates(next) ? (next.states[0] ?? state) : next;
        states.push(describeState(state));
      }
    }
    const partials = (p.partialLinearizations ?? []).map((partial): ReportPartial => {
      const inPrefix = new Set(partial.operations);
      const stuckReturn = history[partial.stuckOperation]!.return;
      const last =
        partial.states.length > 0 ? partial.states[partial.states.length - 1]! : model.init();
      const candidates = p.operations
        .filter((i) => !inPrefix.has(i) && history[i]!.call <= stuckReturn)
        .map((i) => {
          const op = history[i]!;
          const next = model.step(last, op.input, op.output);
          return {
            operation: i,
            why:
              next === ILLEGAL
                ? "illegal in this state"
                : "legal here, but every continuation gets stuck",
          };
        });
      return {
        operations: partial.operations,
        states: partial.states.map(describeState),
        stuck: partial.stuckOperation,
        candidates,
      };
    });
    return {
      index: p.index,
      result: p.result,
      ...(p.reason ? { reason: p.reason } : {}),
      operations: p.operations,
      linearization: p.linearization ?? null,
      states,
      partials,
    };
  });

  return {
    name: input.name,
    result: result.result,
    ...(result.reason ? { reason: result.reason } : {}),
    initialState: describeState(model.init()),
    clients,
    axisEnd,
    operations,
    partitions,
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function naturalOrder(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}
