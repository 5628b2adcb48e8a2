// Development and test kit: deterministic networks and transaction builders.
// Not consensus code; tests, benchmarks and `weft up` share it.

export * from './chain.js';
export * from './network.js';
export * from './transactions.js';
