export { VsccPoolError } from './errors.js';
export { VsccPool, type VsccPoolOptions, type VsccPoolStats } from './pool.js';
export type { WorkerFault } from './protocol.js';
