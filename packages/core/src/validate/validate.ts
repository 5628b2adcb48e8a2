import type { Block } from '../block/block.js';
import { toHex } from '../bytes.js';
import type { Channel } from '../config/channel.js';
import type { Ed25519Backend } from '../crypto/ed25519.js';
import { versionEquals } from '../tx/rwset.js';
import { TxCode } from './codes.js';
import type { StateView, StateWrite, VersionedValue } from './state.js';
import { checkTx, checkTxState, type TxCheck, type TxCheckContext } from './vscc.js';

export interface ValidateBlockOptions {
  block: Block;
  channel: Channel;
  /** Committed state before this block. */
  state: StateView;
  backend?: Ed25519Backend;
  /**
   * Runs the stateless VSCC half for every envelope; peers substitute a
   * worker pool. Must return one TxCheck per envelope, in order.
   */
  checkAll?: (data: readonly Uint8Array[], ctx: TxCheckContext) => Promise<TxCheck[]>;
}

export interface BlockValidation {
  /** One code per envelope. */
  codes: TxCode[];
  /** Per envelope, the txid the ledger indexes (undefined: not recorded). */
  txids: (Uint8Array | undefined)[];
  /** State writes of the valid transactions, in order, with the versions they create. */
  writes: StateWrite[];
  /**
   * Committed values (before the block) of every key validation read, so a
   * ledger updating its indexes need not read them again.
   */
  committed: ReadonlyMap<string, VersionedValue | undefined>;
}

export async function checkAllInline(
  data: readonly Uint8Array[],
  ctx: TxCheckContext,
): Promise<TxCheck[]> {
  return Promise.all(data.map((bytes) => checkTx(bytes, ctx)));
}

/**
 * Every key the block's VSCC-valid transactions read, and every txid they
 * claim, fetched from committed state in one call each: committed state is
 * fixed for the whole block.
 */
async function readCommitted(checks: readonly TxCheck[], state: StateView) {
  const keys = new Set<string>();
  const claimed: Uint8Array[] = [];
  for (const c of checks) {
    if (!c.tx) continue;
    if (c.txidRecorded) claimed.push(c.tx.txid);
    if (c.code !== TxCode.VALID) continue;
    for (const key of c.tx.spend?.inputs ?? []) keys.add(key);
    for (const r of c.tx.rwset.reads) keys.add(r.key);
  }
  const keyList = [...keys];
  const [values, known] = await Promise.all([
    keyList.length ? state.getMany(keyList) : [],
    claimed.length ? state.hasTxids(claimed) : [],
  ]);
  const committed = new Map(keyList.map((key, i) => [key, values[i]]));
  const knownTxids = new Set<string>();
  claimed.forEach((txid, i) => {
    if (known[i]) knownTxids.add(toHex(txid));
  });
  return { committed, knownTxids };
}

/**
 * Validates a verified block against committed state: VSCC for every
 * transaction (parallel), then MVCC in block order. A read whose version
 * differs from committed state, or of a key an earlier valid transaction of
 * the block wrote, is MVCC_READ_CONFLICT; a txid already in the ledger or
 * earlier in the block is DUPLICATE_TXID. The peer and the auditor both call
 * this, so they reach the same codes and writes.
 */
export async function validateBlock(options: ValidateBlockOptions): Promise<BlockValidation> {
  const { block, channel, state } = options;
  const n = block.header.number;
  if (n === 0)
    return {
      codes: block.data.map(() => TxCode.VALID),
      txids: block.data.map(() => undefined),
      writes: [],
      committed: new Map(),
    };

  const ctx: TxCheckContext = { channel, at: block.header.timestamp, backend: options.backend };
  const checks = await (options.checkAll ?? checkAllInline)(block.data, ctx);
  const { committed, knownTxids } = await readCommitted(checks, state);
  const lookup = (key: string) => committed.get(key);

  const codes: TxCode[] = [];
  const txids: (Uint8Array | undefined)[] = [];
  const writes: StateWrite[] = [];
  const seenTxids = new Set<string>();
  const writtenKeys = new Set<string>();
  for (const [i, check] of checks.entries()) {
    let code = checkTxState(check, lookup);
    const tx = check.tx;
    let txid: Uint8Array | undefined;
    if (tx && check.txidRecorded) {
      const hex = toHex(tx.txid);
      if (seenTxids.has(hex) || knownTxids.has(hex)) {
        code = TxCode.DUPLICATE_TXID;
      } else {
        seenTxids.add(hex);
        txid = tx.txid;
      }
    }
    if (code === TxCode.VALID && tx) {
      for (const read of tx.rwset.reads) {
        if (
          writtenKeys.has(read.key) ||
          !versionEquals(committed.get(read.key)?.version ?? null, read.version)
        ) {
          code = TxCode.MVCC_READ_CONFLICT;
          break;
        }
      }
    }
    if (code === TxCode.VALID && tx) {
      for (const w of tx.rwset.writes) {
        writtenKeys.add(w.key);
        writes.push({ key: w.key, value: w.value, version: { block: n, tx: i } });
      }
    }
    codes.push(code);
    txids.push(txid);
  }
  return { codes, txids, writes, committed };
}
