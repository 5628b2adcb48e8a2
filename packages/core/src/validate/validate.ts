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
}

/** Committed state is fixed for the whole block, so each key is read from it at most once. */
function memoizeReads(state: StateView): Pick<StateView, 'get'> {
  const reads = new Map<string, Promise<VersionedValue | undefined>>();
  return {
    get(key) {
      let value = reads.get(key);
      if (!value) {
        value = state.get(key);
        reads.set(key, value);
      }
      return value;
    },
  };
}

export async function checkAllInline(
  data: readonly Uint8Array[],
  ctx: TxCheckContext,
): Promise<TxCheck[]> {
  return Promise.all(data.map((bytes) => checkTx(bytes, ctx)));
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
    };

  const ctx: TxCheckContext = { channel, at: block.header.timestamp, backend: options.backend };
  const checks = await (options.checkAll ?? checkAllInline)(block.data, ctx);
  const committed = memoizeReads(state);
  const stateCodes = await Promise.all(checks.map((c) => checkTxState(c, committed)));

  const codes: TxCode[] = [];
  const txids: (Uint8Array | undefined)[] = [];
  const writes: StateWrite[] = [];
  const seenTxids = new Set<string>();
  const writtenKeys = new Set<string>();
  for (const [i, check] of checks.entries()) {
    let code = stateCodes[i]!;
    const tx = check.tx;
    let txid: Uint8Array | undefined;
    if (tx && check.txidRecorded) {
      const hex = toHex(tx.txid);
      if (seenTxids.has(hex) || (await state.hasTxid(tx.txid))) {
        code = TxCode.DUPLICATE_TXID;
      } else {
        seenTxids.add(hex);
        txid = tx.txid;
      }
    }
    if (code === TxCode.VALID && tx) {
      for (const read of tx.envelope.rwset.reads) {
        if (writtenKeys.has(read.key)) {
          code = TxCode.MVCC_READ_CONFLICT;
          break;
        }
        const current = await committed.get(read.key);
        if (!versionEquals(current?.version ?? null, read.version)) {
          code = TxCode.MVCC_READ_CONFLICT;
          break;
        }
      }
    }
    if (code === TxCode.VALID && tx) {
      for (const w of tx.envelope.rwset.writes) {
        writtenKeys.add(w.key);
        writes.push({ key: w.key, value: w.value, version: { block: n, tx: i } });
      }
    }
    codes.push(code);
    txids.push(txid);
  }
  return { codes, txids, writes };
}
