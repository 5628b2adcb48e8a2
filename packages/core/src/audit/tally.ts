import { decodeCoin } from '../fabcoin/coin.js';
import { type TxCode, txCodeName } from '../validate/codes.js';
import type { MemoryState } from '../validate/state.js';
import type { ReplayedBlock } from './replay.js';
import { type AuditCodeMismatch, MAX_LISTED, type TotalsBuilder } from './report.js';

/**
 * Adds a replayed block's coin movements to the totals. Validation keeps
 * only the writes of valid transactions, so these are exactly the coins
 * the chain created and consumed: a deletion is a spent input (its value
 * read from the state committed before the block, which validation
 * fetched for the spend), a new value an output, minted unless VSCC saw a
 * spend request in that transaction.
 */
export function countCoins(totals: TotalsBuilder, r: ReplayedBlock): void {
  for (const w of r.validation.writes) {
    if (w.value === null) {
      const before = r.validation.committed.get(w.key);
      // Validation reads every spend input; a deletion it did not read is a bug, not a chain fault.
      if (!before) throw new Error(`audit: deleted key ${w.key} was not read by validation`);
      const coin = decodeCoin(before.value);
      totals.coin(coin.label, 'spent', coin.amount);
    } else if (!r.checks[w.version.tx]?.tx?.spend) {
      const coin = decodeCoin(w.value);
      totals.coin(coin.label, 'minted', coin.amount);
    }
  }
}

/** Value and number of unspent coins per label in the replayed state. */
export function unspentByLabel(state: MemoryState): Map<string, { value: bigint; coins: number }> {
  const out = new Map<string, { value: bigint; coins: number }>();
  for (const { value } of state.values.values()) {
    const coin = decodeCoin(value);
    const u = out.get(coin.label) ?? { value: 0n, coins: 0 };
    u.value += coin.amount;
    u.coins++;
    out.set(coin.label, u);
  }
  return out;
}

/** The served codes against the replay's, or undefined when they are the same. */
export function compareCodes(
  block: number,
  served: readonly TxCode[],
  computed: readonly TxCode[],
  node: string | undefined,
): AuditCodeMismatch | undefined {
  const txs: AuditCodeMismatch['txs'] = [];
  let differ = served.length !== computed.length;
  const name = (c: TxCode | undefined) => (c === undefined ? 'missing' : txCodeName(c));
  for (let i = 0; i < Math.max(served.length, computed.length); i++) {
    if (served[i] === computed[i]) continue;
    differ = true;
    if (txs.length < MAX_LISTED)
      txs.push({ index: i, served: name(served[i]), computed: name(computed[i]) });
  }
  if (!differ) return undefined;
  const out: AuditCodeMismatch = { block, served: served.length, computed: computed.length, txs };
  if (node !== undefined) out.node = node;
  return out;
}
