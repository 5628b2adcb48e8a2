// Apart from the benchmarks so the CLI can check `--orderer` without loading one.
/** Ordering services `weft bench e2e` and `weft bench order` can start. */
export const E2E_ORDERERS = ['solo', 'jetstream'] as const;

export type E2eOrderer = (typeof E2E_ORDERERS)[number];
