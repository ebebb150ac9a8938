import type { TraceRecord } from "./read-trace.js";

const ROLE_LETTERS: Readonly<Record<string, string>> = {
  follower: "F",
  candidate: "C",
  leader: "L",
};

/**
 * An event as one cell's text: `<role letter><term> <kind> key=value ...`, e.g.
 * `L3 commit index=7`. The role and term prefix appear only when the event has them (the
 * harness's and the network's events do not).
 */
export function formatEvent(event: TraceRecord): string {
  const parts: string[] = [];
  if (event.term !== undefined || event.role !== undefined) {
    const role = event.role === undefined ? "" : (ROLE_LETTERS[event.role] ?? `${event.role}:`);
    parts.push(`${role}${event.term ?? ""}`);
  }
  parts.push(event.kind);
  for (const [key, value] of Object.entries(event.details)) {
    parts.push(`${key}=${formatValue(value)}`);
  }
  return parts.join(" ");
}

/** Plain strings without spaces bare, everything else as compact JSON. */
function formatValue(value: unknown): string {
  if (typeof value === "string" && value !== "" && !/[\s"=]/.test(value)) return value;
  return JSON.stringify(value) ?? String(value);
}
