import type { CoinListOptions } from '../proofs/coins.js';
import type { VerifiedCoin } from '../proofs/verdict.js';
import type { ProofVerifier } from '../proofs/verifier.js';
import type { WalletSession } from './wallet-session.js';

/** BIP44's address gap limit: unused keys in a row after which a scan stops. */
export const DEFAULT_GAP_LIMIT = 20;
/** A scan never derives more keys than this (a node inventing coins cannot make it endless). */
export const MAX_SCANNED_KEYS = 2000;
const DEFAULT_CONCURRENCY = 4;

/** A coin on one of the wallet's owner keys, with the key's index (to sign for it). */
export interface OwnedCoin extends VerifiedCoin {
  readonly owner: Uint8Array;
  readonly ownerIndex: number;
}

export interface ScanOptions extends CoinListOptions {
  session: WalletSession;
  verifier: ProofVerifier;
  account: number;
  gapLimit?: number;
  /** Owner keys asked about at once. */
  concurrency?: number;
}

export interface ScanResult {
  coins: OwnedCoin[];
  /** False when a node's listing stopped early or the scan hit MAX_SCANNED_KEYS. */
  complete: boolean;
  /** The highest owner-key index holding a coin in a verified block, or -1. */
  highestUsed: number;
}

/**
 * Lists the coins of the account's owner keys: every key the vault records
 * as handed out (below the account's nextIndex), and beyond it until
 * `gapLimit` keys in a row hold nothing, as a BIP44 wallet restored from its
 * mnemonic finds its addresses. Only coins in a verified block (`valid` or
 * `included`) count as use, so a node that invents coins cannot stretch the
 * scan; every coin is returned with its verification status.
 */
export async function scanOwnerKeys(options: ScanOptions): Promise<ScanResult> {
  const { session, verifier, account } = options;
  const gap = options.gapLimit ?? DEFAULT_GAP_LIMIT;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isSafeInteger(gap) || gap < 1) throw new RangeError('gapLimit must be >= 1');
  const recorded = session.metadata().accounts[account]?.nextIndex ?? 0;
  const coins: OwnedCoin[] = [];
  let complete = true;
  let highestUsed = -1;
  const limit = () => Math.min(MAX_SCANNED_KEYS, Math.max(recorded, highestUsed + 1 + gap));
  for (let next = 0; next < limit(); ) {
    const batch: number[] = [];
    while (batch.length < concurrency && next < limit()) batch.push(next++);
    const lists = await Promise.all(
      batch.map(async (index) => {
        const key = await session.ownerKey(index, account);
        return { index, owner: key.publicKey, list: await verifier.coins(key.publicKey, options) };
      }),
    );
    for (const { index, owner, list } of lists) {
      complete &&= list.complete;
      for (const c of list.coins) {
        coins.push({ ...c, owner, ownerIndex: index });
        if (c.status === 'valid' || c.status === 'included') {
          highestUsed = Math.max(highestUsed, index);
        }
      }
    }
  }
  if (limit() === MAX_SCANNED_KEYS && highestUsed + 1 + gap > MAX_SCANNED_KEYS) complete = false;
  return { coins, complete, highestUsed };
}
