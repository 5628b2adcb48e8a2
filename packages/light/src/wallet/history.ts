import { coinKey } from '@weft/core';
import type { SpendOutcome, WalletJournal } from './journal.js';
import type { ReceiptSource, ReceiptStatus } from './receipts.js';

/** A payment this wallet made, awaiting its verdict or settled. */
export interface SentEntry {
  readonly kind: 'sent';
  readonly txid: Uint8Array;
  readonly label: string;
  readonly amount: bigint;
  /** The recipient's owner key. */
  readonly to: Uint8Array;
  /** Returned to a new key of this wallet (0n when none). */
  readonly change: bigint;
  readonly status: 'pending' | SpendOutcome;
  readonly block?: number;
  /** The code name of an invalid verdict, or the error code of a refusal. */
  readonly reason?: string;
  /** Submitted (while pending) or settled, ms since the epoch. */
  readonly time: number;
}

/** A coin this wallet received (kept after it is spent). */
export interface ReceivedEntry {
  readonly kind: 'received';
  readonly txid: Uint8Array;
  /** The coin key `txid.output`. */
  readonly coin: string;
  readonly label: string;
  readonly amount: bigint;
  readonly source: ReceiptSource;
  /** The creator of the paying (or minting) transaction: its org and public key. */
  readonly fromOrg: string;
  readonly from: Uint8Array;
  readonly ownerIndex: number;
  readonly status: ReceiptStatus;
  readonly block: number;
  readonly reason?: string;
  /** First seen, ms since the epoch. */
  readonly time: number;
  /** The wallet's valid spend that took it. */
  readonly spentIn?: Uint8Array;
}

export type HistoryEntry = SentEntry | ReceivedEntry;

/**
 * The wallet's whole history from its journal, newest first: payments
 * still awaiting a verdict, then those that never reached a block
 * (refused, expired) by time, then everything else by block (and time
 * within a block). Each entry carries the status the wallet verified.
 */
export function historyEntries(journal: WalletJournal): HistoryEntry[] {
  const entries: HistoryEntry[] = [
    ...journal.pending.map(
      (p): SentEntry => ({
        kind: 'sent',
        txid: p.txid,
        label: p.label,
        amount: p.amount,
        to: p.to,
        change: p.change,
        status: 'pending',
        time: p.submittedAt,
      }),
    ),
    ...journal.history.map(
      ({ outcome, settledAt, submittedAt: _s, ...h }): SentEntry => ({
        ...h,
        kind: 'sent',
        status: outcome,
        time: settledAt,
      }),
    ),
    ...(journal.received ?? []).map(
      ({ output, seenAt, ...r }): ReceivedEntry => ({
        ...r,
        kind: 'received',
        coin: coinKey(r.txid, output),
        time: seenAt,
      }),
    ),
  ];
  const order = (e: HistoryEntry) =>
    e.block ?? (e.status === 'pending' ? Number.MAX_SAFE_INTEGER : Number.MAX_SAFE_INTEGER - 1);
  return entries.sort((a, b) => order(b) - order(a) || b.time - a.time);
}
