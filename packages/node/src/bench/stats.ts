/** The p-th percentile of an ascending array (nearest rank); 0 when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** `n` rounded to `digits` decimals, as a number (for JSON reports). */
export function round(n: number, digits = 0): number {
  return Number(n.toFixed(digits));
}

/** min, avg, p50, p99 and max of an ascending array of milliseconds, rounded to 0.1 ms. */
export function latencySummary(sorted: readonly number[]) {
  const n = sorted.length;
  return {
    min: round(sorted[0] ?? 0, 1),
    avg: round(n ? sorted.reduce((s, x) => s + x, 0) / n : 0, 1),
    p50: round(percentile(sorted, 50), 1),
    p99: round(percentile(sorted, 99), 1),
    max: round(sorted[n - 1] ?? 0, 1),
  };
}
