import {
  type CborValue,
  coinKey,
  coinKeyParts,
  equalBytes,
  fromHex,
  HASH_LENGTH,
  MAX_COINS_PER_TX,
  MAX_LABEL_LENGTH,
  PUBLIC_KEY_LENGTH,
  readBigUint,
  readBytes,
  readEnum,
  readRecord,
  readString,
  readUint,
  schemaError,
  toHex,
  txCodeName,
} from '@weft/core';
import type { TxVerdict } from '../proofs/verdict.js';
import { MAX_PATH_INDEX } from './keys.js';
import type { OwnedCoin } from './owner-scan.js';

/**
 * Coins the wallet received, kept in the vault's journal from the first
 * time a scan verified them in a block, so the history still shows them
 * once they are spent (a node lists only unspent coins). Only coins in a
 * verified block are recorded, and a record's status changes only through
 * a verified verdict: a node that later withholds or misrepresents a coin
 * cannot erase or downgrade what the wallet verified.
 */

/** Received coins remembered; the oldest are dropped first. */
export const MAX_RECEIPTS = 256;
const MAX_ORG = 64;
const MAX_REASON = 64;

/**
 * `mint`: central banks created it; `payment`: someone paid it; `change`:
 * a spend of this wallet's own identity key that this vault did not journal
 * (made before a restore, or from another copy of the wallet).
 */
export type ReceiptSource = 'mint' | 'payment' | 'change';
export const RECEIPT_SOURCES: readonly ReceiptSource[] = ['mint', 'payment', 'change'];

/** `included` until peers satisfying the policy attest the creating transaction. */
export type ReceiptStatus = 'included' | 'valid' | 'invalid';
export const RECEIPT_STATUSES: readonly ReceiptStatus[] = ['included', 'valid', 'invalid'];

export interface ReceiptRecord {
  /** The creating transaction and the coin's output index in it (coin key `txid.output`). */
  readonly txid: Uint8Array;
  readonly output: number;
  readonly label: string;
  readonly amount: bigint;
  /** The owner key (of the wallet's account) it was paid to. */
  readonly ownerIndex: number;
  readonly source: ReceiptSource;
  /** The creator of the creating transaction: its org and public key. */
  readonly fromOrg: string;
  readonly from: Uint8Array;
  readonly status: ReceiptStatus;
  readonly block: number;
  /** The code name when the creating transaction was judged invalid. */
  readonly reason?: string;
  /** When the wallet first saw it, ms since the epoch. */
  readonly seenAt: number;
  /** This wallet's spend that took it, once that spend was verified valid. */
  readonly spentIn?: Uint8Array;
}

export interface ReceiptContext {
  /** Transactions of this wallet's journal (hex txids): their coins are change, shown with the spend. */
  ownTxids: ReadonlySet<string>;
  /** The wallet's identity key: a spend it created and the journal lacks is change too. */
  identity: Uint8Array;
  now: number;
}

const receiptKey = (r: Pick<ReceiptRecord, 'txid' | 'output'>) => coinKey(r.txid, r.output);

function sourceOf(coin: OwnedCoin, identity: Uint8Array): ReceiptSource | undefined {
  if (!coin.origin) return undefined;
  if (coin.origin.type === 'mint') return 'mint';
  return equalBytes(coin.origin.creator, identity) ? 'change' : 'payment';
}

/**
 * The receipts after a scan: new coins in a verified block appended, and
 * an `included` one moved to the status the scan verified. Returns
 * undefined when nothing changed (no vault write needed). Past
 * MAX_RECEIPTS, see trimReceipts.
 */
export function recordReceipts(
  received: readonly ReceiptRecord[],
  coins: readonly OwnedCoin[],
  context: ReceiptContext,
): ReceiptRecord[] | undefined {
  const byKey = new Map(received.map((r, i) => [receiptKey(r), i]));
  const next = [...received];
  let changed = false;
  for (const coin of coins) {
    if (coin.status !== 'valid' && coin.status !== 'included') continue;
    const at = byKey.get(coin.key);
    if (at !== undefined) {
      const updated = withVerdict(next[at]!, coin.status, coin.block);
      if (updated !== next[at]) {
        next[at] = updated;
        changed = true;
      }
      continue;
    }
    const { txidHex, index } = coinKeyParts(coin.key);
    const source = sourceOf(coin, context.identity);
    if (context.ownTxids.has(txidHex) || !source || coin.block === undefined) continue;
    next.push({
      txid: fromHex(txidHex),
      output: index,
      label: coin.label,
      amount: coin.amount,
      ownerIndex: coin.ownerIndex,
      source,
      fromOrg: coin.origin!.org,
      from: coin.origin!.creator,
      status: coin.status,
      block: coin.block,
      seenAt: context.now,
    });
    byKey.set(coin.key, next.length - 1);
    changed = true;
  }
  if (!changed) return undefined;
  const kept = trimReceipts(next, new Set(coins.map((c) => c.key)));
  const same = kept.length === received.length && kept.every((r, i) => r === received[i]);
  return same ? undefined : kept;
}

/**
 * At most MAX_RECEIPTS: the oldest receipts of coins the scan no longer
 * lists (spent) go first, then the newest additions. A wallet holding more
 * coins than that keeps the receipts it has instead of rewriting the vault
 * on every scan.
 */
function trimReceipts(
  receipts: readonly ReceiptRecord[],
  listed: ReadonlySet<string>,
): ReceiptRecord[] {
  let excess = receipts.length - MAX_RECEIPTS;
  if (excess <= 0) return [...receipts];
  const kept = receipts.filter((r) => excess <= 0 || listed.has(receiptKey(r)) || !excess--);
  return kept.slice(0, MAX_RECEIPTS);
}

/** An `included` receipt moved on by a verified verdict; valid and invalid ones are final. */
function withVerdict(
  r: ReceiptRecord,
  status: ReceiptStatus,
  block: number | undefined,
  reason?: string,
): ReceiptRecord {
  if (r.status !== 'included' || status === 'included') return r;
  return {
    ...r,
    status,
    ...(block !== undefined ? { block } : {}),
    ...(reason !== undefined ? { reason } : {}),
  };
}

/** Applies a verifier's verdict on a receipt's creating transaction (only valid/invalid count). */
export function applyReceiptVerdict(
  received: readonly ReceiptRecord[],
  verdict: TxVerdict,
): ReceiptRecord[] | undefined {
  if (verdict.status !== 'valid' && verdict.status !== 'invalid') return undefined;
  const { status, block } = verdict;
  const reason = verdict.status === 'invalid' ? txCodeName(verdict.code) : undefined;
  let changed = false;
  const next = received.map((r) => {
    if (!equalBytes(r.txid, verdict.txid)) return r;
    const updated = withVerdict(r, status, block, reason);
    changed ||= updated !== r;
    return updated;
  });
  return changed ? next : undefined;
}

/** Marks the receipts among `inputs` (coin keys) as spent by the wallet's valid spend `txid`. */
export function markSpent(
  received: readonly ReceiptRecord[],
  inputs: readonly string[],
  txid: Uint8Array,
): readonly ReceiptRecord[] {
  const spent = new Set(inputs);
  if (!received.some((r) => spent.has(receiptKey(r)))) return received;
  return received.map((r) => (spent.has(receiptKey(r)) ? { ...r, spentIn: txid } : r));
}

/** The creating transactions of receipts still awaiting attestation, each once. */
export function unattestedReceipts(received: readonly ReceiptRecord[]): Uint8Array[] {
  const seen = new Map<string, Uint8Array>();
  for (const r of received) if (r.status === 'included') seen.set(toHex(r.txid), r.txid);
  return [...seen.values()];
}

export function receiptToCbor(r: ReceiptRecord): CborValue {
  const out: Record<string, CborValue> = {
    txid: r.txid,
    output: r.output,
    label: r.label,
    amount: r.amount,
    ownerIndex: r.ownerIndex,
    source: r.source,
    fromOrg: r.fromOrg,
    from: r.from,
    status: r.status,
    block: r.block,
    seenAt: r.seenAt,
  };
  if (r.reason !== undefined) out.reason = r.reason;
  if (r.spentIn !== undefined) out.spentIn = r.spentIn;
  return out;
}

const FIELDS = [
  'txid',
  'output',
  'label',
  'amount',
  'ownerIndex',
  'source',
  'fromOrg',
  'from',
  'status',
  'block',
  'seenAt',
];

export function readReceipt(value: unknown, what: string): ReceiptRecord {
  const r = readRecord(value, what, FIELDS, ['reason', 'spentIn']);
  const output = readUint(r.output, `${what}.output`);
  if (output >= MAX_COINS_PER_TX) schemaError(`${what}.output: out of range`);
  const ownerIndex = readUint(r.ownerIndex, `${what}.ownerIndex`);
  if (ownerIndex > MAX_PATH_INDEX) schemaError(`${what}.ownerIndex: out of range`);
  return {
    txid: readBytes(r.txid, `${what}.txid`, HASH_LENGTH),
    output,
    label: readString(r.label, `${what}.label`, MAX_LABEL_LENGTH),
    amount: readBigUint(r.amount, `${what}.amount`),
    ownerIndex,
    source: readEnum(r.source, `${what}.source`, RECEIPT_SOURCES),
    fromOrg: readString(r.fromOrg, `${what}.fromOrg`, MAX_ORG),
    from: readBytes(r.from, `${what}.from`, PUBLIC_KEY_LENGTH),
    status: readEnum(r.status, `${what}.status`, RECEIPT_STATUSES),
    block: readUint(r.block, `${what}.block`),
    seenAt: readUint(r.seenAt, `${what}.seenAt`),
    ...(r.reason !== undefined
      ? { reason: readString(r.reason, `${what}.reason`, MAX_REASON) }
      : {}),
    ...(r.spentIn !== undefined
      ? { spentIn: readBytes(r.spentIn, `${what}.spentIn`, HASH_LENGTH) }
      : {}),
  };
}
