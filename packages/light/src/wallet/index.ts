// @weft/light wallet: BIP39 mnemonic, SLIP-10 Ed25519 keys, the encrypted vault,
// its stores (IndexedDB, abstract-level) and the auto-locking session.
export { WalletError, type WalletErrorCode } from './errors.js';
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
