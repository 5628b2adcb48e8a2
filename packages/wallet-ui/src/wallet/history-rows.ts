import { toHex } from '@weft/core';
import type { WalletCoin, WalletJournal } from '@weft/light';

/** One line of the wallet's history: a payment it made, or a coin it holds. */
export interface HistoryRow {
  kind: 'sent' | 'received';
  /** Transaction id (hex). */
  txid: string;
  label: string;
  amount: bigint;
  /** pending / included / valid / invalid / unverifiable, or refused / expired for payments. */
  status: string;
  block?: number;
  /** Why it is invalid or was refused (a code name). */
  reason?: string;
  /** ms since the epoch, when known (payments). */
  time?: number;
}

/**
 * Payments from the vault's journal (awaiting a verdict, then settled) and
 * the coins the wallet holds now (received or change), newest first. A
 * coin that was since spent shows through the payment that spent it.
 */
export function historyRows(journal: WalletJournal, coins: readonly WalletCoin[]): HistoryRow[] {
  const sent: HistoryRow[] = [
    ...journal.pending.map((p) => ({
      kind: 'sent' as const,
      txid: toHex(p.txid),
      label: p.label,
      amount: p.amount,
      status: 'pending',
      time: p.submittedAt,
    })),
    ...journal.history.map((h) => ({
      kind: 'sent' as const,
      txid: toHex(h.txid),
      label: h.label,
      amount: h.amount,
      status: h.outcome,
      time: h.settledAt,
      ...(h.block !== undefined ? { block: h.block } : {}),
      ...(h.reason !== undefined ? { reason: h.reason } : {}),
    })),
  ];
  const ownTx = new Set(sent.map((s) => s.txid));
  // Change from our own payments is not income: it shows inside the payment.
  const received: HistoryRow[] = coins
    .map((c) => ({
      kind: 'received' as const,
      txid: c.key.split('.')[0]!,
      label: c.label,
      amount: c.amount,
      status: c.status,
      ...(c.block !== undefined ? { block: c.block } : {}),
      ...(c.reason !== undefined ? { reason: c.reason } : {}),
    }))
    .filter((r) => !ownTx.has(r.txid));
  const order = (r: HistoryRow) =>
    r.status === 'pending' ? Number.MAX_SAFE_INTEGER : (r.block ?? -1);
  return [...sent, ...received].sort(
    (a, b) => order(b) - order(a) || (b.time ?? 0) - (a.time ?? 0),
  );
}
