// The full-chain auditor's pure part: replay, judgement and the report.
// Transports (packages/light, the node CLI) feed it blocks.
export * from './attestations.js';
export * from './audit.js';
export * from './prefetch.js';
export * from './replay.js';
export * from './report.js';
export * from './summary.js';
