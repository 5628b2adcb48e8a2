/** The p-th percentile of an ascending array (nearest rank); 0 when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** `n` rounded to `digits` decimals, as a number (for JSON reports). */
export function round(n: number, digits = 0): number {
  return Number(n.toFixed(digits));
}
