export * from './audit.js';
export { type CheckAll, VsccLookahead } from './lookahead.js';
export * from './vscc-pool.js';
export * from './vscc-worker.js';
