import type { TraceRecord } from "./read-trace.js";
import type { TraceFilter } from "./trace-args.js";

/** Whether an event passes every filter; an event lacking a filtered field does not. */
export function matchesFilter(event: TraceRecord, filter: TraceFilter): boolean {
  if (
    filter.nodes !== undefined &&
    (event.node === undefined || !filter.nodes.includes(event.node))
  )
    return false;
  if (
    filter.terms !== undefined &&
    (event.term === undefined || event.term < filter.terms.min || event.term > filter.terms.max)
  )
    return false;
  if (filter.kinds !== undefined && !filter.kinds.some((prefix) => event.kind.startsWith(prefix)))
    return false;
  if (filter.from !== undefined && event.time < filter.from) return false;
  if (filter.to !== undefined && event.time > filter.to) return false;
  return true;
}
