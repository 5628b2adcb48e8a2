// The ordering services (solo, and jetstream over a NATS JetStream log):
// batching, the on-disk chain and what the broadcast/deliver protocol
// handlers wrap. LAYOUT.md documents storage and the jetstream log.
export { checkCreator, parseForOrdering, RecentTxids } from './admission.js';
export { assembleBlock } from './assemble.js';
export {
  BLOCK_OVERHEAD_BYTES,
  BlockCutter,
  type BlockCutterOptions,
  type CutBatch,
  type CutReason,
  envelopeBatchBytes,
} from './block-cutter.js';
export { type Clock, ManualClock, systemClock } from './clock.js';
export { OrdererError } from './errors.js';
export {
  JetStreamOrderer,
  type JetStreamOrdererOptions,
  type JetStreamProgress,
} from './jetstream/jetstream-orderer.js';
export { LOG_TXID_WINDOW } from './jetstream/log-batcher.js';
export { ordererLogHealth } from './jetstream/log-health.js';
export { freePort, NatsCluster, type NatsClusterOptions } from './jetstream/nats-cluster.js';
export { ensureNatsServer, NATS_INSTALL_HINT } from './jetstream/nats-install.js';
export { type OpenOrdererStoreOptions, ORDERER_NAMESPACE, OrdererStore } from './orderer-store.js';
export { type BroadcastResult, SoloOrderer, type SoloOrdererOptions } from './solo-orderer.js';
