// The peer's channel ledger on level. LAYOUT.md documents the storage.
export {
  type ChainInfo,
  ChannelLedger,
  type CommitBlockOptions,
  type OpenLedgerOptions,
} from './channel-ledger.js';
export {
  type LevelFormat,
  type NodeDatabase,
  type OpenNodeDatabaseOptions,
  openNodeDatabase,
} from './database.js';
export { LedgerError } from './errors.js';
export {
  type CoinPage,
  MAX_COIN_PAGE,
  type StoredBlock,
  type StoredTransaction,
} from './queries.js';
export type { CurrentState } from './records.js';
export type { RepairReport } from './repair.js';
