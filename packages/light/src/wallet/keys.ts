import {
  type Ed25519Backend,
  getDefaultEd25519Backend,
  type Signer,
  signerFromSecret,
} from '@weft/core';
import { HDKey } from 'micro-key-producer/slip10.js';
import { WalletError } from './errors.js';

/**
 * Weft's key paths (SLIP-10 Ed25519, so every level is hardened):
 *
 *   m / 44' / 2003134068' / account' / branch' / index'
 *
 * - 44' follows BIP44's layout so recovery tools that walk "m/44'/coin'/..." find the keys.
 * - 2003134068 is 0x77656674, "weft" in ASCII. It is not a SLIP-44 registration; it is
 *   chosen far from the registry's small numbers so a mnemonic reused in another
 *   wallet never yields the same keys as in Weft.
 * - account: the holder's separate purses (account 0 exists in every wallet).
 * - branch: what the key is for. Coin owner keys (0') and client identity keys (1')
 *   live apart because a client certificate names its key and org on the ledger:
 *   proposals signed with an owner key would link the holder's identity to coins.
 * - index: 0, 1, 2... a fresh owner key per receive, as Bitcoin wallets do.
 *
 * A coin's label (currency) is not in the path: one owner key can hold any label.
 */
export const WEFT_PURPOSE = 44;
export const WEFT_COIN_TYPE = 0x77656674;
export const KEY_BRANCHES = { owner: 0, identity: 1 } as const;
export type KeyBranch = keyof typeof KEY_BRANCHES;

/** Largest hardened child number (SLIP-10 adds 2^31 to it). */
export const MAX_PATH_INDEX = 0x7fffffff;

export interface KeyPosition {
  account: number;
  branch: KeyBranch;
  index: number;
}

function checkIndex(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > MAX_PATH_INDEX) {
    throw new WalletError('WALLET_BAD_PATH', `${what} must be an integer in [0, 2^31 - 1]`);
  }
}

export function weftKeyPath(position: KeyPosition): string {
  checkIndex(position.account, 'account');
  checkIndex(position.index, 'index');
  const branch = KEY_BRANCHES[position.branch];
  if (branch === undefined) throw new WalletError('WALLET_BAD_PATH', 'unknown key branch');
  return `m/${WEFT_PURPOSE}'/${WEFT_COIN_TYPE}'/${position.account}'/${branch}'/${position.index}'`;
}

/**
 * SLIP-10 Ed25519 private key (the 32-byte RFC 8032 secret) at `path`. The HMAC
 * chain is micro-key-producer's (audited, noble-based), not re-implemented here.
 */
export function deriveSecretKey(seed: Uint8Array, path: string): Uint8Array {
  let key: HDKey;
  try {
    key = HDKey.fromMasterSeed(seed);
  } catch (err) {
    throw new WalletError('WALLET_BAD_PATH', 'a seed has 16 to 64 bytes', { cause: err });
  }
  // Only hardened steps exist for Ed25519; refuse anything else before the library does.
  if (!/^m(\/\d{1,10}')*$/.test(path)) {
    throw new WalletError('WALLET_BAD_PATH', `not a hardened SLIP-10 path: ${path}`);
  }
  try {
    return key.derive(path).privateKey;
  } catch (err) {
    throw new WalletError('WALLET_BAD_PATH', `cannot derive ${path}`, { cause: err });
  }
}

/** A derived key: where it sits and a core Signer for it. */
export interface WalletKey extends KeyPosition {
  readonly path: string;
  readonly publicKey: Uint8Array;
  readonly signer: Signer;
}

/**
 * The key at `position` as a core Signer. The secret is returned too so the caller
 * (the session) can wipe it; callers outside a session should use the Signer only.
 */
export async function deriveWalletKey(
  seed: Uint8Array,
  position: KeyPosition,
  backend: Ed25519Backend = getDefaultEd25519Backend(),
): Promise<{ key: WalletKey; secretKey: Uint8Array }> {
  const path = weftKeyPath(position);
  const secretKey = deriveSecretKey(seed, path);
  const signer = await signerFromSecret(secretKey, backend);
  const key: WalletKey = { ...position, path, publicKey: signer.publicKey, signer };
  return { key, secretKey };
}
