import { toHex } from '../bytes.js';
import { decode, encode } from '../encoding/cbor.js';
import { type Coin, coinToCbor, readCoin } from './request.js';

const MAX_COIN_BYTES = 128;

/** The state key of output j of transaction txid. */
export function coinKey(txid: Uint8Array, j: number): string {
  return coinKeyOfHex(toHex(txid), j);
}

/** coinKey with the txid already in hex (a transaction's outputs share it). */
export function coinKeyOfHex(txidHex: string, j: number): string {
  return `${txidHex}.${j}`;
}

const COIN_KEY_PATTERN = /^[0-9a-f]{64}\.(0|[1-9][0-9]{0,2})$/;

export function isCoinKey(key: string): boolean {
  return COIN_KEY_PATTERN.test(key);
}

export function encodeCoin(c: Coin): Uint8Array {
  return encode(coinToCbor(c));
}

export function decodeCoin(bytes: Uint8Array): Coin {
  return readCoin(decode(bytes, { maxBytes: MAX_COIN_BYTES }), 'coin');
}
