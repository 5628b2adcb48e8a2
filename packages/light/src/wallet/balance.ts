import type { PendingSpend } from './journal.js';
import type { OwnedCoin } from './owner-scan.js';

/** A coin of the wallet, as verified, and whether a spend of this wallet awaiting a verdict holds it. */
export interface WalletCoin extends OwnedCoin {
  readonly locked: boolean;
}

/**
 * One label's amounts by what the client could verify. Only `spendable`
 * may be spent; the others say why the rest is not.
 */
export interface LabelBalance {
  /** Coins whose creation is attested VALID and that no pending spend of this wallet holds. */
  spendable: bigint;
  /**
   * What this wallet's spends awaiting a verdict take in (amount and change),
   * from its own journal: a spend leaves the balance only once verified
   * valid, even if nodes stop listing its inputs before that.
   */
  locked: bigint;
  /** Coins in a verified block whose codes no quorum of peers has attested yet. */
  pending: bigint;
  /** Coins only a node vouches for: what it served did not check out. */
  unverifiable: bigint;
}

/** The coins a spend may take: attested valid, and held by no spend awaiting a verdict. */
export function spendableCoins<C extends WalletCoin>(coins: readonly C[]): C[] {
  return coins.filter((c) => c.status === 'valid' && !c.locked);
}

const ZERO: LabelBalance = { spendable: 0n, locked: 0n, pending: 0n, unverifiable: 0n };

function bucket(c: WalletCoin): keyof LabelBalance | undefined {
  switch (c.status) {
    // A locked coin is counted through its spend, in `locked`.
    case 'valid':
      return c.locked ? undefined : 'spendable';
    case 'included':
      return 'pending';
    case 'unverifiable':
      return 'unverifiable';
    // A coin of an invalid transaction never existed.
    case 'invalid':
      return undefined;
  }
}

export interface BalancesOptions {
  coins: readonly WalletCoin[];
  /** This wallet's spends awaiting a verdict. */
  pending?: readonly PendingSpend[];
  /** Followed labels: each appears, with zeros when it holds nothing. */
  labels?: readonly string[];
}

/** Amounts per label. */
export function balancesOf(options: BalancesOptions): Record<string, LabelBalance> {
  const out: Record<string, LabelBalance> = {};
  const add = (label: string, b: keyof LabelBalance, amount: bigint) => {
    const entry = out[label] ?? { ...ZERO };
    entry[b] += amount;
    out[label] = entry;
  };
  for (const label of options.labels ?? []) add(label, 'spendable', 0n);
  for (const c of options.coins) {
    const b = bucket(c);
    if (b) add(c.label, b, c.amount);
  }
  for (const p of options.pending ?? []) add(p.label, 'locked', p.amount + p.change);
  return out;
}
