import {
  type Block,
  CodecError,
  codesBytes,
  decode,
  decodeBlock,
  encode,
  encodeBlock,
  HASH_LENGTH,
  isTxCode,
  MAX_STATE_VALUE_BYTES,
  MAX_TX_PER_BLOCK,
  readArray,
  readBigUint,
  readBytes,
  readRecord,
  readString,
  readUint,
  type TxCode,
  type VersionedValue,
} from '@weft/core';

/** A block head: header and up to MAX_BLOCK_SIGNATURES orderer signatures of ~100 bytes. */
const MAX_BLOCK_HEAD_BYTES = 16 * 1024;

/**
 * Values of the ledger tables, each canonical CBOR read back strictly with a
 * size bound: a value that would not re-encode to itself is corrupt.
 * LAYOUT.md lists the same shapes.
 */

/** The `current` record: where the chain ends and what has been committed. */
export interface CurrentState {
  /** Number of committed blocks (the next block's number). */
  height: number;
  lastHash: Uint8Array;
  lastTimestamp: number;
  /** Envelopes in all committed blocks, genesis's config envelope included. */
  txCount: number;
  /** Envelopes whose code is not VALID. */
  failedTxCount: number;
  commitHash: Uint8Array;
  /** Number of the last block applied to state; always height - 1. */
  savepoint: number;
}

export function encodeCurrent(c: CurrentState): Uint8Array {
  return encode({
    height: c.height,
    lastHash: c.lastHash,
    lastTimestamp: c.lastTimestamp,
    txCount: c.txCount,
    failedTxCount: c.failedTxCount,
    commitHash: c.commitHash,
    savepoint: c.savepoint,
  });
}

const CURRENT_FIELDS = [
  'height',
  'lastHash',
  'lastTimestamp',
  'txCount',
  'failedTxCount',
  'commitHash',
  'savepoint',
];

export function decodeCurrent(bytes: Uint8Array): CurrentState {
  const r = readRecord(decode(bytes, { maxBytes: 256 }), 'current', CURRENT_FIELDS);
  return {
    height: readUint(r.height, 'current.height'),
    lastHash: readBytes(r.lastHash, 'current.lastHash', HASH_LENGTH),
    lastTimestamp: readUint(r.lastTimestamp, 'current.lastTimestamp'),
    txCount: readUint(r.txCount, 'current.txCount'),
    failedTxCount: readUint(r.failedTxCount, 'current.failedTxCount'),
    commitHash: readBytes(r.commitHash, 'current.commitHash', HASH_LENGTH),
    savepoint: readUint(r.savepoint, 'current.savepoint'),
  };
}

/** The `numbers` record: what a peer keeps beside block n (Fabric's block metadata). */
export interface BlockMeta {
  hash: Uint8Array;
  codes: TxCode[];
  commitHash: Uint8Array;
}

export function encodeBlockMeta(m: BlockMeta): Uint8Array {
  return encode({ hash: m.hash, codes: codesBytes(m.codes), commitHash: m.commitHash });
}

export function decodeBlockMeta(bytes: Uint8Array): BlockMeta {
  const r = readRecord(decode(bytes, { maxBytes: MAX_TX_PER_BLOCK + 128 }), 'meta', [
    'hash',
    'codes',
    'commitHash',
  ]);
  const codes = Array.from(readBytes(r.codes, 'meta.codes', undefined, MAX_TX_PER_BLOCK));
  for (const code of codes) {
    if (!isTxCode(code)) throw new CodecError('CODEC_SCHEMA', `meta.codes: unknown code ${code}`);
  }
  return {
    hash: readBytes(r.hash, 'meta.hash', HASH_LENGTH),
    codes: codes as TxCode[],
    commitHash: readBytes(r.commitHash, 'meta.commitHash', HASH_LENGTH),
  };
}

/** The `hashes` record: a block number. */
export function encodeNumber(n: number): Uint8Array {
  return encode(n);
}

export function decodeNumber(bytes: Uint8Array): number {
  return readUint(decode(bytes, { maxBytes: 9 }), 'number');
}

/** A fixed-length CBOR array (the hot-path records are positional: smaller and faster). */
function readTuple(value: unknown, what: string, length: number): unknown[] {
  const items = readArray(value, what, length);
  if (items.length !== length)
    throw new CodecError('CODEC_SCHEMA', `${what}: expected ${length} items`);
  return items;
}

/**
 * The `txs` record, [block, index, code, offset, length]. `offset`/`length`
 * locate the envelope inside the stored block bytes, so a txid lookup
 * slices it out instead of decoding a block of thousands of envelopes.
 */
export interface TxEntry {
  block: number;
  index: number;
  code: TxCode;
}

export function encodeTxEntry(t: TxEntry): Uint8Array {
  return encode([t.block, t.index, t.code]);
}

export function decodeTxEntry(bytes: Uint8Array): TxEntry {
  const [block, index, code] = readTuple(decode(bytes, { maxBytes: 64 }), 'tx', 3);
  const c = readUint(code, 'tx.code');
  if (!isTxCode(c)) throw new CodecError('CODEC_SCHEMA', `tx.code: unknown code ${c}`);
  return { block: readUint(block, 'tx.block'), index: readUint(index, 'tx.index'), code: c };
}

/** The `blocks` record: the block without its envelopes (they are rows of `envelopes`). */
export function encodeBlockHead(block: Block): Uint8Array {
  return encodeBlock({ header: block.header, data: [], signatures: block.signatures });
}

export function decodeBlockHead(bytes: Uint8Array): Pick<Block, 'header' | 'signatures'> {
  const head = decodeBlock(bytes, MAX_BLOCK_HEAD_BYTES);
  if (head.data.length > 0) throw new CodecError('CODEC_SCHEMA', 'block head: holds envelopes');
  return { header: head.header, signatures: head.signatures };
}

/** The `state` record, [value, block, tx]: a value and the version that wrote it. */
export function encodeVersioned(v: VersionedValue): Uint8Array {
  return encode([v.value, v.version.block, v.version.tx]);
}

export function decodeVersioned(bytes: Uint8Array): VersionedValue {
  const maxBytes = MAX_STATE_VALUE_BYTES + 64;
  const [value, block, tx] = readTuple(decode(bytes, { maxBytes }), 'state', 3);
  return {
    value: readBytes(value, 'state.value', undefined, MAX_STATE_VALUE_BYTES),
    version: { block: readUint(block, 'state.block'), tx: readUint(tx, 'state.tx') },
  };
}

/** The `coins` record, [amount, label]: the coin minus its owner, which is in the key. */
export function encodeCoinEntry(c: { amount: bigint; label: string }): Uint8Array {
  return encode([c.amount, c.label]);
}

export function decodeCoinEntry(bytes: Uint8Array): { amount: bigint; label: string } {
  const [amount, label] = readTuple(decode(bytes, { maxBytes: 64 }), 'coin', 2);
  return { amount: readBigUint(amount, 'coin.amount'), label: readString(label, 'coin.label') };
}
