import {
  type Block,
  type ChainTip,
  CodecError,
  decode,
  decodeBlock,
  encode,
  HASH_LENGTH,
  readBytes,
  readRecord,
  readUint,
} from '@weft/core';
import { OrdererError } from './errors.js';

/** Values of the orderer store (LAYOUT.md), decoded strictly and bounded. */

const MAX_TIP_BYTES = 128;

/** A stored block, decoded strictly and checked to be the one its key names. */
export function decodeStored(channel: string, number: number, bytes: Uint8Array): Block {
  const block = guardDecode(channel, number, () => decodeBlock(bytes));
  const h = block.header;
  if (h.number !== number || h.channel !== channel) {
    throw corrupt(channel, number, `holds block ${h.number} of channel ${h.channel}`);
  }
  return block;
}

export function encodeTip(tip: ChainTip): Uint8Array {
  return encode({ number: tip.number, hash: tip.hash, timestamp: tip.timestamp });
}

export function decodeTip(bytes: Uint8Array): ChainTip {
  const r = readRecord(decode(bytes, { maxBytes: MAX_TIP_BYTES }), 'tip', [
    'number',
    'hash',
    'timestamp',
  ]);
  return {
    number: readUint(r.number, 'tip.number'),
    hash: readBytes(r.hash, 'tip.hash', HASH_LENGTH),
    timestamp: readUint(r.timestamp, 'tip.timestamp'),
  };
}

/** ORDERER_CORRUPT naming the channel and the block; `block` -1 names the tip record. */
export function corrupt(
  channel: string,
  block: number,
  problem: string,
  cause?: unknown,
): OrdererError {
  const what = block < 0 ? 'the tip record' : `block ${block}`;
  return new OrdererError(
    'ORDERER_CORRUPT',
    `orderer store of channel ${channel}: ${what} is corrupt: ${problem}`,
    { channel, ...(block < 0 ? {} : { block }), cause },
  );
}

/** Undecodable bytes, or LevelDB reporting damaged files (classic-level's code). */
function isCorruption(err: unknown): boolean {
  return err instanceof CodecError || (err as { code?: unknown })?.code === 'LEVEL_CORRUPTION';
}

/** Runs a read; corruption becomes ORDERER_CORRUPT naming where, anything else passes through. */
export async function guard<T>(channel: string, block: number, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw isCorruption(err) ? corrupt(channel, block, (err as Error).message, err) : err;
  }
}

export function guardDecode<T>(channel: string, block: number, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw isCorruption(err) ? corrupt(channel, block, (err as Error).message, err) : err;
  }
}
