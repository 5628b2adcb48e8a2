// The solo ordering service: batching, its on-disk chain and the service
// the broadcast/deliver protocol handlers wrap. LAYOUT.md documents storage.
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
export { type OpenOrdererStoreOptions, ORDERER_NAMESPACE, OrdererStore } from './orderer-store.js';
export { type BroadcastResult, SoloOrderer, type SoloOrdererOptions } from './solo-orderer.js';
