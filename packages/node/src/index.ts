export { installNativeCrypto, nativeSha256 } from './crypto/install.js';
export { nativeEd25519 } from './crypto/native-ed25519.js';
export * from './ledger/index.js';
export * from './orderer/index.js';
export { CommitPipeline, type CommittedEvent, PipelineError } from './pipeline/commit-pipeline.js';
export { ReorderBuffer, ReorderError } from './pipeline/reorder-buffer.js';
export * from './vscc-pool/index.js';
