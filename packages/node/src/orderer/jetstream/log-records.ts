import {
  CodecError,
  decode,
  encode,
  HASH_LENGTH,
  PUBLIC_KEY_LENGTH,
  readBytes,
  readRecord,
  readUint,
  SIGNATURE_LENGTH,
} from '@weft/core';
import { corrupt, guardDecode } from '../store-records.js';

/**
 * What a channel's JetStream stream holds, one subject per kind (DESIGN
 * section 5). Anyone able to publish to NATS can put bytes there, so every
 * record is decoded strictly with a size bound, and a record that does not
 * decode is skipped by every orderer alike.
 *
 * - `tx`: an envelope's bytes exactly. A retried publish may put it there
 *   twice; readers skip a txid they have seen (LogBatcher).
 * - `ttc`: time to cut block n, canonical CBOR `{block: n}`: every orderer
 *   whose timer fires sends one, and only the first one read counts.
 * - `sig`: an orderer's signature of block n, `{block, hash, signer,
 *   signature}`, for channels whose policy needs several orderers' signatures.
 */
export type LogKind = 'tx' | 'ttc' | 'sig';

const MAX_TTC_BYTES = 32;
const MAX_SIG_NOTE_BYTES = 256;
const MAX_CURSOR_RECORD_BYTES = 64;

/** Subjects of stream `stream`: `weft.<stream>.<kind>`, and the stream's filter. */
export function logSubjects(stream: string): Record<LogKind | 'all', string> {
  const prefix = `weft.${stream}`;
  return { all: `${prefix}.*`, tx: `${prefix}.tx`, ttc: `${prefix}.ttc`, sig: `${prefix}.sig` };
}

export function encodeTtc(block: number): Uint8Array {
  return encode({ block });
}

/** The block number a ttc marker names; CodecError if it is not exactly a marker. */
export function decodeTtc(bytes: Uint8Array): number {
  const r = readRecord(decode(bytes, { maxBytes: MAX_TTC_BYTES }), 'ttc', ['block']);
  return readUint(r.block, 'ttc.block');
}

/** An orderer's signature over block `block`'s hash, as published for the others. */
export interface SignatureNote {
  block: number;
  hash: Uint8Array;
  signer: Uint8Array;
  signature: Uint8Array;
}

export function encodeSignatureNote(n: SignatureNote): Uint8Array {
  return encode({ block: n.block, hash: n.hash, signer: n.signer, signature: n.signature });
}

export function decodeSignatureNote(bytes: Uint8Array): SignatureNote {
  const r = readRecord(decode(bytes, { maxBytes: MAX_SIG_NOTE_BYTES }), 'sig', [
    'block',
    'hash',
    'signer',
    'signature',
  ]);
  return {
    block: readUint(r.block, 'sig.block'),
    hash: readBytes(r.hash, 'sig.hash', HASH_LENGTH),
    signer: readBytes(r.signer, 'sig.signer', PUBLIC_KEY_LENGTH),
    signature: readBytes(r.signature, 'sig.signature', SIGNATURE_LENGTH),
  };
}

/**
 * Where an orderer resumes reading the log: stored with block `block` in
 * the same batch, `next` is the stream sequence of the first message whose
 * effect is not in blocks up to `block` (LAYOUT.md).
 */
export interface LogCursor {
  block: number;
  next: number;
}

export function encodeCursor(c: LogCursor): Uint8Array {
  return encode({ block: c.block, next: c.next });
}

/** The stored cursor of a channel whose tip is `tip`; ORDERER_CORRUPT if it is not that. */
export function decodeCursor(channel: string, tip: number, bytes: Uint8Array): LogCursor {
  const c = guardDecode(channel, tip, () => {
    const r = readRecord(decode(bytes, { maxBytes: MAX_CURSOR_RECORD_BYTES }), 'cursor', [
      'block',
      'next',
    ]);
    return { block: readUint(r.block, 'cursor.block'), next: readUint(r.next, 'cursor.next') };
  });
  if (c.block !== tip || c.next < 1) {
    throw corrupt(channel, tip, `cursor names block ${c.block}, sequence ${c.next}`);
  }
  return c;
}

/** True for the error a hostile or foreign record gives; anything else is a bug. */
export function isRecordError(err: unknown): boolean {
  return err instanceof CodecError;
}
