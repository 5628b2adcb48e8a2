import { encode } from '../encoding/cbor.js';
import { copyOut, isAscii, type Writer, withScratch } from '../encoding/writer.js';
import type { BlockHeader, BlockSignature } from './block.js';

/**
 * The canonical encoding of a block header written directly: every header
 * is encoded to be hashed (each block a peer commits, each header a light
 * client follows), and cborg's generic path (tokens, then sorting the keys)
 * costs several times the hash itself. The bytes are exactly what `encode`
 * writes for the same record; anything outside the plain case (a
 * non-ASCII channel name, an integer out of range, a byte string that is
 * not a plain Uint8Array) returns undefined and takes the generic path,
 * which also rejects what has no canonical encoding.
 */

/** The keys in RFC 8949 order (shorter first), as CBOR text. */
const KEYS = ['number', 'channel', 'dataHash', 'timestamp', 'lastConfig', 'previousHash'] as const;
const KEY_BYTES = KEYS.map((k) => encode(k));
const MAP_HEADER = 0xa0 + KEYS.length;

const isUint = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
const isPlainBytes = (b: unknown): b is Uint8Array =>
  b instanceof Uint8Array && Object.getPrototypeOf(b) === Uint8Array.prototype;

const isAsciiText = (s: unknown): s is string => typeof s === 'string' && isAscii(s);

function writeHeader(w: Writer, h: BlockHeader): boolean {
  const { channel, number, previousHash, dataHash, lastConfig, timestamp } = h;
  if (!isAsciiText(channel) || !isUint(number) || !isUint(lastConfig) || !isUint(timestamp))
    return false;
  if (!isPlainBytes(previousHash) || !isPlainBytes(dataHash)) return false;
  // The keys in RFC 8949 order: number, channel, dataHash, timestamp, lastConfig, previousHash.
  w.byte(MAP_HEADER);
  w.raw(KEY_BYTES[0]!);
  w.head(0, number);
  w.raw(KEY_BYTES[1]!);
  w.asciiText(channel);
  w.raw(KEY_BYTES[2]!);
  w.byteString(dataHash);
  w.raw(KEY_BYTES[3]!);
  w.head(0, timestamp);
  w.raw(KEY_BYTES[4]!);
  w.head(0, lastConfig);
  w.raw(KEY_BYTES[5]!);
  w.byteString(previousHash);
  return true;
}

/** The header's canonical encoding, or undefined outside the plain case. */
export function encodeHeaderDirect(h: BlockHeader): Uint8Array | undefined {
  return withScratch((w) => writeHeader(w, h), copyOut);
}

/** `hash` of the header's canonical encoding, which is never allocated; undefined outside the plain case. */
export function hashHeaderDirect(
  h: BlockHeader,
  hash: (bytes: Uint8Array) => Uint8Array,
): Uint8Array | undefined {
  return withScratch((w) => writeHeader(w, h), hash);
}

const SIGNER_KEY = encode('signer');
const SIGNATURE_KEY = encode('signature');

function writeSignatures(w: Writer, signatures: readonly BlockSignature[]): boolean {
  for (const { signer, signature } of signatures)
    if (!isPlainBytes(signer) || !isPlainBytes(signature)) return false;
  w.head(4, signatures.length);
  for (const { signer, signature } of signatures) {
    w.byte(0xa2);
    w.raw(SIGNER_KEY);
    w.byteString(signer);
    w.raw(SIGNATURE_KEY);
    w.byteString(signature);
  }
  return true;
}

/**
 * `prefix`, the header, `middle`, the signatures: a light header (a block
 * with no data) in one buffer of its exact size, written directly for the
 * same reason as the header (one is encoded per block stored or served);
 * undefined outside the plain case.
 */
export function encodeHeaderAndSignaturesDirect(
  prefix: Uint8Array,
  header: BlockHeader,
  middle: Uint8Array,
  signatures: readonly BlockSignature[],
): Uint8Array | undefined {
  return withScratch((w) => {
    w.raw(prefix);
    if (!writeHeader(w, header)) return false;
    w.raw(middle);
    return writeSignatures(w, signatures);
  }, copyOut);
}
