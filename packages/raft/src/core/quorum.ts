/** Votes or acknowledgements needed in a cluster of `n` voters: a strict majority. */
export function quorum(n: number): number {
  return Math.floor(n / 2) + 1;
}

/** The largest index that at least a quorum of `matches` (one per voter) has reached. */
export function quorumIndex(matches: readonly number[]): number {
  const sorted = [...matches].sort((a, b) => b - a);
  return sorted[quorum(matches.length) - 1] ?? 0;
}
