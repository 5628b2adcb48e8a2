// @weft/light wallet: BIP39 mnemonic, SLIP-10 Ed25519 keys, the encrypted vault,
// its stores (IndexedDB, abstract-level), the auto-locking session, and the
// Fabcoin wallet over them (verified coins and balances, local spends).

export {
  type BalancesOptions,
  balancesOf,
  type LabelBalance,
  spendableCoins,
  type WalletCoin,
} from './balance.js';
export {
  type CoinSelection,
  type SelectableCoin,
  type SelectCoinsOptions,
  selectCoins,
} from './coin-selection.js';
export { WalletError, type WalletErrorCode } from './errors.js';
export {
  FabcoinWallet,
  type FabcoinWalletOptions,
  type ReceiveInfo,
  type WalletBalance,
  type WalletCoins,
  type WalletEnrollOptions,
} from './fabcoin-wallet.js';
export {
  type HistoryEntry,
  historyEntries,
  type ReceivedEntry,
  type SentEntry,
} from './history.js';
export {
  EMPTY_JOURNAL,
  MAX_PENDING_SPENDS,
  MAX_SPEND_HISTORY,
  MAX_SPEND_INPUTS,
  type PendingSpend,
  type SpendOutcome,
  type SpendRecord,
  type WalletJournal,
} from './journal.js';
export {
  deriveSecretKey,
  deriveWalletKey,
  KEY_BRANCHES,
  type KeyBranch,
  type KeyPosition,
  MAX_PATH_INDEX,
  type WalletKey,
  WEFT_COIN_TYPE,
  WEFT_PURPOSE,
  weftKeyPath,
} from './keys.js';
export {
  createMnemonic,
  DEFAULT_MNEMONIC_WORDS,
  isValidMnemonic,
  type MnemonicWordCount,
  mnemonicToSeed,
  normalizeMnemonic,
  parseMnemonic,
} from './mnemonic.js';
export {
  DEFAULT_GAP_LIMIT,
  MAX_SCANNED_KEYS,
  type OwnedCoin,
  type ScanOptions,
  type ScanResult,
  scanOwnerKeys,
} from './owner-scan.js';
export {
  DEFAULT_PENDING_EXPIRY_MS,
  PendingSpends,
  type PendingSpendsOptions,
  refusedBeforeOrdering,
  type SpendResult,
} from './pending.js';
export {
  MAX_RECEIPTS,
  type ReceiptRecord,
  type ReceiptSource,
  type ReceiptStatus,
} from './receipts.js';
export {
  type CheckedOrder,
  checkOrder,
  enrolledAuthor,
  type SignedSpend,
  type SignSpendOptions,
  type SpendAuthor,
  type SpendOrder,
  signSpend,
} from './spend-builder.js';
export {
  CIPHER_NAME,
  checkNewPassphrase,
  createVault,
  DEFAULT_PBKDF2_ITERATIONS,
  deriveVaultKey,
  KDF_NAME,
  type KdfParams,
  MAX_PBKDF2_ITERATIONS,
  MAX_VAULT_RECORD_BYTES,
  MIN_PASSPHRASE_LENGTH,
  MIN_PBKDF2_ITERATIONS,
  type OpenedVault,
  openVault,
  openVaultWithKey,
  readVaultHeader,
  sealVault,
  VAULT_VERSION,
  type VaultHeader,
  type VaultKey,
  type VaultPolicy,
} from './vault.js';
export {
  decodeContents,
  encodeContents,
  type VaultContents,
  type WalletAccount,
  type WalletEnrollment,
  type WalletMetadata,
} from './vault-contents.js';
export {
  checkWalletName,
  DEFAULT_IDB_NAME,
  type IndexedDbStoreOptions,
  type LevelStoreOptions,
  levelVaultStore,
  openIndexedDbVaultStore,
  type VaultStore,
} from './vault-store.js';
export {
  type CreateWalletOptions,
  DEFAULT_IDLE_TIMEOUT_MS,
  type LockReason,
  type PersistenceReport,
  requestPersistence,
  type SessionTimers,
  type UnlockReport,
  WalletSession,
  type WalletSessionOptions,
} from './wallet-session.js';
