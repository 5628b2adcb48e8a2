import { type Block, encodeBlock } from '@weft/core';
import { LedgerError } from './errors.js';

export interface EnvelopeLocation {
  offset: number;
  length: number;
}

/** Bytes of a CBOR head (major type + length argument) for argument `n`. */
function headLength(n: number): number {
  if (n < 24) return 1;
  if (n < 0x100) return 2;
  if (n < 0x10000) return 3;
  if (n < 0x100000000) return 5;
  return 9;
}

// encodeBlock writes a 3-entry map whose deterministically first key is
// "data": 0xa3, then the text head 0x64 and "data".
const BLOCK_PREFIX = [0xa3, 0x64, 0x64, 0x61, 0x74, 0x61];

/**
 * Encodes a block and finds where each envelope's bytes sit in the result,
 * so the `txs` table can point into the stored block. The positions follow
 * from canonical CBOR (the data array comes first, each envelope a byte
 * string); every one is checked against the envelope itself, so a change to
 * core's block encoding fails loudly here instead of storing bad offsets.
 */
export function encodeBlockLocating(block: Block): {
  bytes: Uint8Array;
  locations: EnvelopeLocation[];
} {
  const bytes = encodeBlock(block);
  const locations: EnvelopeLocation[] = [];
  let offset = BLOCK_PREFIX.length + headLength(block.data.length);
  for (const envelope of block.data) {
    offset += headLength(envelope.length);
    locations.push({ offset, length: envelope.length });
    offset += envelope.length;
  }
  const ok =
    BLOCK_PREFIX.every((b, i) => bytes[i] === b) &&
    offset <= bytes.length &&
    block.data.every((envelope, i) => {
      const at = locations[i]!;
      return Buffer.from(bytes.buffer, bytes.byteOffset + at.offset, at.length).equals(envelope);
    });
  if (!ok) {
    throw new LedgerError(
      'LEDGER_BAD_COMMIT',
      `block ${block.header.number}: envelopes not found where canonical CBOR puts them`,
    );
  }
  return { bytes, locations };
}
