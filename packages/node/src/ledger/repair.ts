import { blockHash, CodecError, equalBytes, parseTx, toHex } from '@weft/core';
import { corrupt, guardDecode, guardRead } from './errors.js';
import { asView, envelopeKey, readU64, u64 } from './keys.js';
import {
  type CurrentState,
  decodeBlockHead,
  decodeBlockMeta,
  decodeNumber,
  decodeTxEntry,
} from './records.js';
import { type ChannelTables, type LedgerOp, writeBatch } from './tables.js';

/** What open() had to fix. */
export interface RepairReport {
  /** Numbers of the blocks past the savepoint that were removed. */
  removedBlocks: number[];
}

/**
 * Checks the savepoint against the block store: the last committed block
 * (height - 1) is there, decodes, and hashes to lastHash. A mismatch there
 * cannot be repaired (the record claims more than the store holds) and is
 * LEDGER_CORRUPT; the caller must restore or resync the channel.
 */
export async function checkSavepoint(
  t: ChannelTables,
  channel: string,
  c: CurrentState,
): Promise<void> {
  if (c.height < 1 || c.savepoint !== c.height - 1) {
    throw corrupt(
      channel,
      'the current-state record',
      `savepoint ${c.savepoint} at height ${c.height}`,
    );
  }
  const n = c.savepoint;
  const metaWhat = `block ${n} (table numbers)`;
  const metaBytes = await guardRead(channel, metaWhat, () => t.tables.numbers.get(u64(n)));
  if (!metaBytes) throw corrupt(channel, metaWhat, 'missing, though the savepoint names it');
  const meta = guardDecode(channel, metaWhat, () => decodeBlockMeta(asView(metaBytes)));
  if (!equalBytes(meta.hash, c.lastHash) || !equalBytes(meta.commitHash, c.commitHash)) {
    throw corrupt(channel, metaWhat, 'hash or commitHash differs from the current-state record');
  }
  const what = `block ${n} (table blocks)`;
  const bytes = await guardRead(channel, what, () => t.tables.blocks.get(u64(n)));
  if (!bytes) throw corrupt(channel, what, 'missing, though the savepoint names it');
  const { header } = guardDecode(channel, what, () => decodeBlockHead(asView(bytes)));
  if (header.number !== n || !equalBytes(blockHash(header), c.lastHash)) {
    throw corrupt(channel, what, 'does not hash to the savepoint hash');
  }
}

function tryDecode<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CodecError) return undefined;
    throw err;
  }
}

/**
 * Removes blocks past the savepoint and their index entries in one batch.
 *
 * This ledger writes a block, its indexes, its state changes and the
 * current-state record in ONE batch, which LevelDB's write-ahead log replays
 * whole or not at all, so a crash of this code never leaves such blocks.
 * They exist only if (a) an older version stored blocks in a batch of their
 * own before applying them (as Fabric's block store runs ahead of its state
 * database) and died in between, in which case state was never touched for
 * them and deleting them restores exactly the prefix the savepoint
 * describes; or (b) someone wrote or copied entries by hand. Either way the
 * blocks are fetched and committed again. Attestations are kept: they are
 * other peers' statements about the channel, not part of our prefix.
 */
export async function removeBlocksPastSavepoint(
  t: ChannelTables,
  channel: string,
  c: CurrentState,
): Promise<RepairReport> {
  const from = u64(c.height);
  const ops: LedgerOp[] = [];
  const removed = new Set<number>();
  const hashes: Uint8Array[] = [];
  for await (const [key, bytes] of t.tables.blocks.iterator({ gte: from })) {
    ops.push({ type: 'del', table: 'blocks', key });
    removed.add(readU64(key) ?? -1);
    const head = tryDecode(() => decodeBlockHead(asView(bytes)));
    if (head) hashes.push(blockHash(head.header));
  }
  for await (const [key, envelope] of t.tables.envelopes.iterator({
    gte: envelopeKey(c.height, 0),
  })) {
    ops.push({ type: 'del', table: 'envelopes', key });
    removed.add(readU64(key) ?? -1);
    const tx = tryDecode(() => parseTx(asView(envelope)));
    if (!tx) continue;
    const entry = await guardRead(channel, `transaction ${toHex(tx.txid)} (table txs)`, () =>
      t.tables.txs.get(tx.txid),
    );
    const at = entry && tryDecode(() => decodeTxEntry(entry));
    if (at && at.block >= c.height) ops.push({ type: 'del', table: 'txs', key: tx.txid });
  }
  for await (const [key, bytes] of t.tables.numbers.iterator({ gte: from })) {
    ops.push({ type: 'del', table: 'numbers', key });
    removed.add(readU64(key) ?? -1);
    const meta = tryDecode(() => decodeBlockMeta(bytes));
    if (meta) hashes.push(meta.hash);
  }
  for (const hash of hashes) {
    const stored = await t.tables.hashes.get(hash);
    const n = stored && tryDecode(() => decodeNumber(stored));
    if (n !== undefined && n >= c.height) ops.push({ type: 'del', table: 'hashes', key: hash });
  }
  if (ops.length > 0) await writeBatch(t, ops);
  return { removedBlocks: [...removed].sort((a, b) => a - b) };
}
