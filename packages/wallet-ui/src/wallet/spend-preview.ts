import {
  checkOrder,
  type SpendOrder,
  selectCoins,
  spendableCoins,
  type WalletCoin,
} from '@weft/light';

/** What a payment will sign, computed before signing: inputs, outputs and change. */
export interface SpendPreview {
  to: string;
  label: string;
  amount: bigint;
  inputs: { key: string; amount: bigint }[];
  total: bigint;
  /** Back to a fresh key of this wallet (0n: no change output). */
  change: bigint;
}

/**
 * The wallet's own coin choice (selectCoins over verified, unlocked coins),
 * run on the coins last verified; the spend picks again when it signs, so a
 * coin that changed in between is never spent on stale information.
 * Throws the wallet's errors (bad amount, label, recipient, insufficient funds).
 */
export function previewSpend(order: SpendOrder, coins: readonly WalletCoin[]): SpendPreview {
  const checked = checkOrder(order);
  const selection = selectCoins({
    coins: spendableCoins(coins),
    label: checked.label,
    amount: checked.amount,
  });
  return {
    to: typeof order.to === 'string' ? order.to.toLowerCase() : '',
    label: checked.label,
    amount: checked.amount,
    inputs: selection.inputs.map((c) => ({ key: c.key, amount: c.amount })),
    total: selection.total,
    change: selection.change,
  };
}
