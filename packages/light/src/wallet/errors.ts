import { WeftError } from '@weft/core';

/**
 * Codes the wallet raises. UIs branch on them: a wrong passphrase asks again,
 * a corrupt or unsupported vault must not be overwritten without the holder's say.
 */
export type WalletErrorCode =
  /** The passphrase does not open the vault, or the ciphertext was altered (GCM cannot tell). */
  | 'WALLET_BAD_PASSPHRASE'
  /** Stored bytes are not a well-formed vault (truncated, oversized, wrong types, bad contents). */
  | 'WALLET_CORRUPT'
  /** A well-formed vault of a newer format, KDF or cipher this code does not know. */
  | 'WALLET_UNSUPPORTED'
  /** Not a valid BIP39 English mnemonic (word, count or checksum). */
  | 'WALLET_BAD_MNEMONIC'
  /** A new vault's KDF parameters are below the enforced floor. */
  | 'WALLET_WEAK_KDF'
  /** A new passphrase is shorter than the enforced minimum. */
  | 'WALLET_WEAK_PASSPHRASE'
  /** A derivation path, account or index out of range. */
  | 'WALLET_BAD_PATH'
  /** Metadata that does not fit the vault's schema or bounds. */
  | 'WALLET_BAD_METADATA'
  /** The session is locked (or was locked while an operation ran). */
  | 'WALLET_LOCKED'
  | 'WALLET_NOT_FOUND'
  | 'WALLET_EXISTS'
  | 'WALLET_BAD_NAME'
  /** The storage backend failed (quota, closed database, blocked upgrade...). */
  | 'WALLET_STORE_FAILED'
  /** A spend amount that is not a positive 64-bit integer. */
  | 'WALLET_BAD_AMOUNT'
  /** Not a Fabcoin label (1-16 ASCII letters and digits). */
  | 'WALLET_BAD_LABEL'
  /** A recipient that is not a 32-byte Ed25519 public key. */
  | 'WALLET_BAD_RECIPIENT'
  /** Spendable (verified, unlocked) coins of the label do not cover the amount. */
  | 'WALLET_INSUFFICIENT_FUNDS'
  /** The funds exist, but covering the amount takes more coins than one spend may carry. */
  | 'WALLET_TOO_MANY_INPUTS'
  /** Too many spends await a verdict; wait for them (refresh) before spending again. */
  | 'WALLET_TOO_MANY_PENDING'
  /** No valid client certificate: the wallet must enroll before it can submit. */
  | 'WALLET_NOT_ENROLLED'
  /** The org to enroll with is not in the channel's (verified) config. */
  | 'WALLET_UNKNOWN_ORG'
  /** A gateway refused the spend before ordering it; its inputs were released. */
  | 'WALLET_SPEND_REFUSED';

export class WalletError extends WeftError {
  declare readonly code: WalletErrorCode;
  // Narrows the code to WalletErrorCode at construction.
  constructor(code: WalletErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
