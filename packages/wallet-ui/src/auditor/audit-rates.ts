/** Throughput and time left of a running audit, from counts and elapsed time. */
export interface AuditRates {
  blocksPerSecond: number;
  txsPerSecond: number;
  /** Seconds until the announced height, or undefined when it cannot be estimated yet. */
  etaSeconds?: number;
  /** 0..1 of the announced height. */
  fraction: number;
}

export function auditRates(o: {
  blocks: number;
  txs: number;
  height?: number;
  elapsedMs: number;
}): AuditRates {
  const seconds = o.elapsedMs / 1000;
  const blocksPerSecond = seconds > 0 ? o.blocks / seconds : 0;
  const txsPerSecond = seconds > 0 ? o.txs / seconds : 0;
  const fraction = o.height ? Math.min(1, o.blocks / o.height) : 0;
  const left = o.height !== undefined ? Math.max(0, o.height - o.blocks) : undefined;
  const etaSeconds =
    left !== undefined && blocksPerSecond > 0 ? left / blocksPerSecond : left === 0 ? 0 : undefined;
  return {
    blocksPerSecond,
    txsPerSecond,
    fraction,
    ...(etaSeconds !== undefined ? { etaSeconds } : {}),
  };
}
