/** The trace reader's help text. */
export const TRACE_USAGE = `Usage: raft-trace [options] FILE
       (from the repository: pnpm --filter @lab/raft trace [options] FILE)

Shows a Raft trace (JSON lines, as raft-stress --seed S --trace FILE writes) in columns: time
at the left, one column per node, and a column for events without a node (network, harness).
A node's event reads "<role><term> <kind> <details>", e.g. "L3 commit index=7".
FILE - reads standard input.

Filters (they combine; an event without the filtered field does not match):
  --node A,B          only these nodes
  --term X[..Y]       only terms X to Y
  --kind K1,K2        only kinds starting with one of these (e.g. rpc.,role.)
  --from MS           only events at or after MS milliseconds
  --to MS             only events at or before MS milliseconds

Output:
  --width N           total width (default: the terminal's, or 120)
  --json              print the matching events as JSON lines instead
  -h, --help          show this help

Exit codes: 0 printed, 3 bad usage or bad input (the error names the line).
`;
