import { WalletError } from './errors.js';
import { MAX_SPEND_INPUTS } from './journal.js';

export interface SelectableCoin {
  readonly key: string;
  readonly amount: bigint;
  readonly label: string;
}

export interface CoinSelection<C extends SelectableCoin> {
  readonly inputs: readonly C[];
  /** Sum of the inputs' amounts. */
  readonly total: bigint;
  /** total - amount: what goes back to the wallet (0n: no change output). */
  readonly change: bigint;
}

export interface SelectCoinsOptions<C extends SelectableCoin> {
  /** Candidates; callers pass only spendable ones (verified valid, not locked). */
  coins: readonly C[];
  label: string;
  amount: bigint;
  maxInputs?: number;
}

const byAmountDesc = (a: SelectableCoin, b: SelectableCoin): number =>
  a.amount > b.amount ? -1 : a.amount < b.amount ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;

/**
 * Chooses inputs of `label` covering `amount` with as few coins as possible:
 * a coin of exactly the amount (no change output), else the smallest single
 * coin that covers it (large coins stay whole), else the largest coins first.
 * Any k coins sum to at most the k largest, so when the largest-first prefix
 * needs more than `maxInputs` no selection fits in one spend
 * (WALLET_TOO_MANY_INPUTS); when all coins together fall short,
 * WALLET_INSUFFICIENT_FUNDS. Deterministic: ties are broken by coin key.
 */
export function selectCoins<C extends SelectableCoin>(
  options: SelectCoinsOptions<C>,
): CoinSelection<C> {
  const { amount, label } = options;
  const maxInputs = options.maxInputs ?? MAX_SPEND_INPUTS;
  const candidates = options.coins
    .filter((c) => c.label === label && c.amount > 0n)
    .sort(byAmountDesc);
  const available = candidates.reduce((sum, c) => sum + c.amount, 0n);
  if (available < amount) {
    throw new WalletError(
      'WALLET_INSUFFICIENT_FUNDS',
      `${amount} ${label} requested, ${available} spendable`,
    );
  }
  const covering = candidates.filter((c) => c.amount >= amount);
  const single = covering.find((c) => c.amount === amount) ?? covering.at(-1);
  if (single) return { inputs: [single], total: single.amount, change: single.amount - amount };
  const inputs: C[] = [];
  let total = 0n;
  for (const c of candidates) {
    if (total >= amount) break;
    inputs.push(c);
    total += c.amount;
  }
  if (inputs.length > maxInputs) {
    throw new WalletError(
      'WALLET_TOO_MANY_INPUTS',
      `${amount} ${label} needs ${inputs.length} coins; a spend takes at most ${maxInputs} (spend less, or consolidate first)`,
    );
  }
  return { inputs, total, change: total - amount };
}
