// @weft/light: the public API, one `export ... from` line per module.
export * from './auditor/index.js';
export * from './chain/header-chain.js';
export * from './chain/header-pool.js';
export * from './chain/header-worker.js';
export * from './chain/idb-store.js';
export {
  type HeaderStore,
  type LevelDatabase,
  levelHeaderStore,
  type StoredHeader,
} from './chain/store.js';
export { DEFAULT_POOL_TIMEOUT_MS, type PoolOptions, type PoolPort } from './chain/worker-pool.js';
export * from './enroll/index.js';
export * from './errors.js';
export * from './proofs/attested-codes.js';
export * from './proofs/coins.js';
export * from './proofs/verdict.js';
export * from './proofs/verifier.js';
export * from './transport/libp2p-transport.js';
export * from './transport/node-set.js';
export { requestOne, type StreamDialer } from './transport/stream-call.js';
export * from './transport/transport.js';
export * from './verify-worker.js';
export * from './wallet/index.js';
