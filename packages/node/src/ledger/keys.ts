import { concatBytes, utf8 } from '@weft/core';

/**
 * Key builders for the ledger tables (see LAYOUT.md). Numbers are 8-byte
 * big-endian so LevelDB's bytewise order is numeric order.
 */

export function u64(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a block number: ${n}`);
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, Math.floor(n / 2 ** 32));
  view.setUint32(4, n >>> 0);
  return out;
}

/** `envelopes` key: u64(block) || u32(index), so a block's envelopes are one range in order. */
export function envelopeKey(block: number, index: number): Uint8Array {
  if (!Number.isInteger(index) || index < 0 || index > 0xffffffff)
    throw new RangeError(`not an envelope index: ${index}`);
  const out = new Uint8Array(12);
  out.set(u64(block), 0);
  new DataView(out.buffer).setUint32(8, index);
  return out;
}

/** Reads an 8-byte big-endian number at `offset`; undefined past 2^53 (never a real height). */
export function readU64(bytes: Uint8Array, offset = 0): number | undefined {
  if (bytes.length < offset + 8) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, 8);
  const n = view.getUint32(0) * 2 ** 32 + view.getUint32(4);
  return Number.isSafeInteger(n) ? n : undefined;
}

export function stateKey(key: string): Uint8Array {
  return utf8(key);
}

/** owner public key || utf8(coin key): an owner's coins are one contiguous range. */
export function coinIndexKey(owner: Uint8Array, coinKey: string): Uint8Array {
  return concatBytes(owner, utf8(coinKey));
}

/** The exclusive upper bound of every key starting with `prefix`. */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  const end = prefix.slice();
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i] = end[i]! + 1;
      return end.subarray(0, i + 1);
    }
  }
  return undefined;
}

export function attestationKey(number: number, signer: Uint8Array): Uint8Array {
  return concatBytes(u64(number), signer);
}

/** Level may hand back a Buffer; callers get a plain Uint8Array view of the same memory. */
export function asView(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
