import { encode } from '../encoding/cbor.js';
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
const KEYS_SIZE = KEY_BYTES.reduce((n, k) => n + k.length, 0);
const MAP_HEADER = 0xa0 + KEYS.length;

/** Bytes of the shortest CBOR head for argument n. */
const headSize = (n: number) =>
  n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n < 0x1_0000_0000 ? 5 : 9;

class Writer {
  readonly bytes: Uint8Array;
  at = 0;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
  }

  /** A CBOR head: major type and argument, in the shortest form. */
  head(major: number, n: number): void {
    const m = major << 5;
    const b = this.bytes;
    if (n < 24) b[this.at++] = m | n;
    else if (n < 0x100) {
      b[this.at++] = m | 24;
      b[this.at++] = n;
    } else if (n < 0x10000) {
      b[this.at++] = m | 25;
      b[this.at++] = n >>> 8;
      b[this.at++] = n & 0xff;
    } else if (n < 0x1_0000_0000) {
      b[this.at++] = m | 26;
      for (let s = 24; s >= 0; s -= 8) b[this.at++] = (n >>> s) & 0xff;
    } else {
      b[this.at++] = m | 27;
      const hi = Math.floor(n / 0x1_0000_0000);
      const lo = n >>> 0;
      for (let s = 24; s >= 0; s -= 8) b[this.at++] = (hi >>> s) & 0xff;
      for (let s = 24; s >= 0; s -= 8) b[this.at++] = (lo >>> s) & 0xff;
    }
  }

  raw(bytes: Uint8Array): void {
    this.bytes.set(bytes, this.at);
    this.at += bytes.length;
  }
}

const isUint = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
const isPlainBytes = (b: unknown): b is Uint8Array =>
  b instanceof Uint8Array && Object.getPrototypeOf(b) === Uint8Array.prototype;

function isAsciiText(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** The header's canonical encoding, or undefined outside the plain case. */
export function encodeHeaderDirect(h: BlockHeader): Uint8Array | undefined {
  const { channel, number, previousHash, dataHash, lastConfig, timestamp } = h;
  if (!isAsciiText(channel) || !isUint(number) || !isUint(lastConfig) || !isUint(timestamp))
    return undefined;
  if (!isPlainBytes(previousHash) || !isPlainBytes(dataHash)) return undefined;
  const size =
    1 +
    KEYS_SIZE +
    headSize(number) +
    headSize(channel.length) +
    channel.length +
    headSize(dataHash.length) +
    dataHash.length +
    headSize(timestamp) +
    headSize(lastConfig) +
    headSize(previousHash.length) +
    previousHash.length;
  const w = new Writer(size);
  w.bytes[w.at++] = MAP_HEADER;
  const values = [number, channel, dataHash, timestamp, lastConfig, previousHash];
  KEY_BYTES.forEach((key, i) => {
    w.raw(key);
    const v = values[i]!;
    if (typeof v === 'number') w.head(0, v);
    else if (typeof v === 'string') {
      w.head(3, v.length);
      for (let c = 0; c < v.length; c++) w.bytes[w.at++] = v.charCodeAt(c);
    } else {
      w.head(2, v.length);
      w.raw(v);
    }
  });
  // A size computed wrong would leave zeros in the hashed bytes: never that, whatever it costs.
  return w.at === size ? w.bytes : undefined;
}

const SIGNER_KEY = encode('signer');
const SIGNATURE_KEY = encode('signature');

/**
 * A block's signatures as `encode` writes them ([{signer, signature}...]),
 * written directly for the same reason as the header (a light header is
 * encoded per block stored or served); undefined outside plain Uint8Arrays.
 */
export function encodeSignaturesDirect(
  signatures: readonly BlockSignature[],
): Uint8Array | undefined {
  let size = headSize(signatures.length);
  for (const { signer, signature } of signatures) {
    if (!isPlainBytes(signer) || !isPlainBytes(signature)) return undefined;
    size += 1 + SIGNER_KEY.length + SIGNATURE_KEY.length;
    size += headSize(signer.length) + signer.length + headSize(signature.length) + signature.length;
  }
  const w = new Writer(size);
  w.head(4, signatures.length);
  for (const { signer, signature } of signatures) {
    w.bytes[w.at++] = 0xa2;
    w.raw(SIGNER_KEY);
    w.head(2, signer.length);
    w.raw(signer);
    w.raw(SIGNATURE_KEY);
    w.head(2, signature.length);
    w.raw(signature);
  }
  return w.at === size ? w.bytes : undefined;
}
