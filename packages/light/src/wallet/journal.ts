import {
  type CborValue,
  equalBytes,
  HASH_LENGTH,
  MAX_LABEL_LENGTH,
  PUBLIC_KEY_LENGTH,
  readArray,
  readBigUint,
  readBytes,
  readCoinKey,
  readEnum,
  readRecord,
  readString,
  readUint,
} from '@weft/core';
import { WalletError } from './errors.js';
import {
  MAX_RECEIPTS,
  markSpent,
  type ReceiptRecord,
  readReceipt,
  receiptToCbor,
} from './receipts.js';

/**
 * The wallet's own spends, kept in the encrypted vault beside the keys: those
 * still awaiting a verified verdict (their inputs are locked so no second
 * spend reuses them), a bounded history of settled ones, and the coins it
 * received (receipts.ts). Only this wallet writes it; the network's answers
 * change it only through verified verdicts.
 */

/** At most this many spends await a verdict at once (each locks its inputs). */
export const MAX_PENDING_SPENDS = 16;
/** Inputs one wallet spend may carry, well under core's MAX_COINS_PER_TX, to bound the journal. */
export const MAX_SPEND_INPUTS = 16;
/** Settled spends remembered; the oldest are dropped first. */
export const MAX_SPEND_HISTORY = 256;

export interface PendingSpend {
  readonly txid: Uint8Array;
  /** Coin keys it spends. */
  readonly inputs: readonly string[];
  readonly to: Uint8Array;
  readonly label: string;
  readonly amount: bigint;
  /** Returned to a fresh key of this wallet (0n when the inputs matched exactly). */
  readonly change: bigint;
  /** Milliseconds since the Unix epoch. */
  readonly submittedAt: number;
}

/**
 * How a spend ended: `valid` / `invalid` by attested verdict; `refused` when
 * a gateway turned it down before ordering; `expired` when no node showed it
 * in a block for too long, so its inputs were released.
 */
export type SpendOutcome = 'valid' | 'invalid' | 'refused' | 'expired';
export const SPEND_OUTCOMES: readonly SpendOutcome[] = ['valid', 'invalid', 'refused', 'expired'];

export interface SpendRecord extends Omit<PendingSpend, 'inputs'> {
  readonly outcome: SpendOutcome;
  readonly settledAt: number;
  /** The block of a valid or invalid verdict. */
  readonly block?: number;
  /** The code name of an invalid verdict, or the error code of a refusal. */
  readonly reason?: string;
}

export interface WalletJournal {
  readonly pending: readonly PendingSpend[];
  readonly history: readonly SpendRecord[];
  /** Coins received, kept after they are spent (absent in vaults from before receipts). */
  readonly received?: readonly ReceiptRecord[];
}

export const EMPTY_JOURNAL: WalletJournal = { pending: [], history: [] };

const MAX_REASON = 64;

/** Coin keys locked by spends awaiting a verdict. */
export function lockedInputs(journal: WalletJournal | undefined): Set<string> {
  return new Set((journal ?? EMPTY_JOURNAL).pending.flatMap((p) => p.inputs));
}

export function addPending(journal: WalletJournal | undefined, spend: PendingSpend): WalletJournal {
  const j = journal ?? EMPTY_JOURNAL;
  if (j.pending.length >= MAX_PENDING_SPENDS) {
    throw new WalletError(
      'WALLET_TOO_MANY_PENDING',
      `${j.pending.length} spends await a verdict; refresh before spending again`,
    );
  }
  return { ...j, pending: [...j.pending, spend] };
}

/**
 * Moves the pending spend `txid` (if still pending) to the history with its
 * outcome; a valid one marks the receipts it spent.
 */
export function settleSpend(
  journal: WalletJournal | undefined,
  txid: Uint8Array,
  result: Pick<SpendRecord, 'outcome' | 'settledAt' | 'block' | 'reason'>,
): WalletJournal {
  const j = journal ?? EMPTY_JOURNAL;
  const spend = j.pending.find((p) => equalBytes(p.txid, txid));
  if (!spend) return j;
  const { inputs, ...rest } = spend;
  const record: SpendRecord = { ...rest, ...result };
  const received =
    j.received && result.outcome === 'valid' ? markSpent(j.received, inputs, txid) : j.received;
  return {
    pending: j.pending.filter((p) => p !== spend),
    history: [...j.history, record].slice(-MAX_SPEND_HISTORY),
    ...(received ? { received } : {}),
  };
}

function spendFields(s: Omit<PendingSpend, 'inputs'>): Record<string, CborValue> {
  return {
    txid: s.txid,
    to: s.to,
    label: s.label,
    amount: s.amount,
    change: s.change,
    submittedAt: s.submittedAt,
  };
}

export function journalToCbor(j: WalletJournal): CborValue {
  const out: Record<string, CborValue> = {
    pending: j.pending.map((p) => ({ ...spendFields(p), inputs: [...p.inputs] })),
    history: j.history.map((h) => {
      const record: Record<string, CborValue> = {
        ...spendFields(h),
        outcome: h.outcome,
        settledAt: h.settledAt,
      };
      if (h.block !== undefined) record.block = h.block;
      if (h.reason !== undefined) record.reason = h.reason;
      return record;
    }),
  };
  if (j.received?.length) out.received = j.received.map(receiptToCbor);
  return out;
}

const SPEND_FIELDS = ['txid', 'to', 'label', 'amount', 'change', 'submittedAt'];

function readSpend(r: Record<string, unknown>, what: string): Omit<PendingSpend, 'inputs'> {
  return {
    txid: readBytes(r.txid, `${what}.txid`, HASH_LENGTH),
    to: readBytes(r.to, `${what}.to`, PUBLIC_KEY_LENGTH),
    label: readString(r.label, `${what}.label`, MAX_LABEL_LENGTH),
    amount: readBigUint(r.amount, `${what}.amount`),
    change: readBigUint(r.change, `${what}.change`),
    submittedAt: readUint(r.submittedAt, `${what}.submittedAt`),
  };
}

function readPending(value: unknown, what: string): PendingSpend {
  const r = readRecord(value, what, [...SPEND_FIELDS, 'inputs']);
  const inputs = readArray(r.inputs, `${what}.inputs`, MAX_SPEND_INPUTS).map((k, i) =>
    readCoinKey(k, `${what}.inputs[${i}]`),
  );
  return { ...readSpend(r, what), inputs };
}

function readHistory(value: unknown, what: string): SpendRecord {
  const r = readRecord(value, what, [...SPEND_FIELDS, 'outcome', 'settledAt'], ['block', 'reason']);
  const record: SpendRecord = {
    ...readSpend(r, what),
    outcome: readEnum(r.outcome, `${what}.outcome`, SPEND_OUTCOMES),
    settledAt: readUint(r.settledAt, `${what}.settledAt`),
  };
  return {
    ...record,
    ...(r.block !== undefined ? { block: readUint(r.block, `${what}.block`) } : {}),
    ...(r.reason !== undefined
      ? { reason: readString(r.reason, `${what}.reason`, MAX_REASON) }
      : {}),
  };
}

/** Strict reader for the journal inside decoded vault contents. */
export function readJournal(value: unknown, what = 'journal'): WalletJournal {
  const r = readRecord(value, what, ['pending', 'history'], ['received']);
  const received =
    r.received === undefined
      ? undefined
      : readArray(r.received, `${what}.received`, MAX_RECEIPTS).map((x, i) =>
          readReceipt(x, `${what}.received[${i}]`),
        );
  return {
    pending: readArray(r.pending, `${what}.pending`, MAX_PENDING_SPENDS).map((p, i) =>
      readPending(p, `${what}.pending[${i}]`),
    ),
    history: readArray(r.history, `${what}.history`, MAX_SPEND_HISTORY).map((h, i) =>
      readHistory(h, `${what}.history[${i}]`),
    ),
    ...(received ? { received } : {}),
  };
}
