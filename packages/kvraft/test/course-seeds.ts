/**
 * Seeds every course scenario runs on. `SEEDS=N` runs seeds 1..N; `SEEDS=a,b,c` runs exactly
 * those (to replay a failure). The default is the fixed set CI runs.
 */
export function courseSeeds(defaultCount: number): number[] {
  const raw = process.env.SEEDS?.trim();
  if (!raw) return Array.from({ length: defaultCount }, (_, i) => i + 1);
  if (/^\d+$/.test(raw)) return Array.from({ length: Number(raw) }, (_, i) => i + 1);
  return raw.split(",").map((s) => {
    const seed = Number(s.trim());
    if (!Number.isSafeInteger(seed)) throw new Error(`SEEDS: not an integer seed: "${s}"`);
    return seed;
  });
}
