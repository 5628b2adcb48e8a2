import type { Identity, ParsedTx, TxCode } from '@weft/core';

/**
 * Where a transaction stands, as far as the client could check it:
 * - `pending`: no node shows it in a block (yet); a node can withhold, so
 *   this is never proof that it will not be committed.
 * - `included`: in a verified block (RFC 6962 proof to the header), but no
 *   set of peers satisfying the attestation policy has attested the
 *   block's codes yet.
 * - `valid` / `invalid`: included, and its code comes from codes whose hash
 *   attestations satisfying the policy signed.
 * - `unverifiable`: what a node served does not check out (wrong proof,
 *   another transaction, codes that are not the attested ones, peers
 *   attesting conflicting codes...). Never shown as anything better.
 */
export type TxStatusName = 'pending' | 'included' | 'valid' | 'invalid' | 'unverifiable';

export type TxVerdict =
  | { status: 'pending'; txid: Uint8Array }
  | {
      status: 'included';
      txid: Uint8Array;
      block: number;
      /** The claimed position; confirmed only once the codes (and so the tree size) are attested. */
      index: number;
      tx: ParsedTx;
      node: string;
    }
  | {
      status: 'valid' | 'invalid';
      txid: Uint8Array;
      block: number;
      index: number;
      code: TxCode;
      tx: ParsedTx;
      /** Peers whose attestations of the block's codes decided the verdict. */
      attesters: Identity[];
      node: string;
    }
  | {
      status: 'unverifiable';
      txid: Uint8Array;
      /** A stable code: LIGHT_BAD_PROOF, LIGHT_CODES_MISMATCH, LIGHT_ATTESTATION_CONFLICT... (see ProofVerifier.checkTx) */
      reason: string;
      message: string;
      /** The node that served it, when it is to blame. */
      node?: string;
      block?: number;
    };

/** Who made a coin: from its creating transaction, as the verified envelope has it. */
export interface CoinOrigin {
  /** `mint`: central banks created it; `spend`: an owner paid it (or change came back). */
  type: 'mint' | 'spend';
  /** The org of the transaction's creator (its client certificate). */
  org: string;
  /** The creator's public key. */
  creator: Uint8Array;
}

/** A coin as an owner's node listed it, with what the client could check of it. */
export interface VerifiedCoin {
  key: string;
  amount: bigint;
  label: string;
  /**
   * The status of the coin's creation: `valid` means its creating
   * transaction is attested VALID and output j is this amount, label and
   * owner. `invalid`: that transaction is attested invalid, so the coin
   * never existed. That a valid coin is still unspent is only the node's
   * word; spending a spent coin is refused by the network (MVCC).
   */
  status: Exclude<TxStatusName, 'pending'>;
  /** Block and code of the creating transaction, when known. */
  block?: number;
  code?: TxCode;
  reason?: string;
  /** Set once the creating transaction was found in a verified block. */
  origin?: CoinOrigin;
  node: string;
}

export interface CoinList {
  coins: VerifiedCoin[];
  /** Sum of `valid` coins per label (bigint, never a float). */
  balances: Record<string, bigint>;
  /** False when the listing stopped early (a node's paging broke the rules, or `maxCoins`). */
  complete: boolean;
}
