// Apart from e2e-bench.ts so the CLI can check `--orderer` without loading the benchmark.
/** Ordering services `weft bench e2e` can start. */
export const E2E_ORDERERS = ['solo'] as const;

export type E2eOrderer = (typeof E2E_ORDERERS)[number];
