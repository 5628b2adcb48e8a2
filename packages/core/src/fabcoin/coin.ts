import { toHex } from '../bytes.js';
import { decode, encode } from '../encoding/cbor.js';
import { readString, schemaError } from '../encoding/fields.js';
import {
  type Coin,
  coinToCbor,
  MAX_COIN_KEY_LENGTH,
  MAX_LABEL_LENGTH,
  readCoin,
} from './request.js';

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

/** The creating transaction (hex) and output index of a well-formed coin key (see isCoinKey). */
export function coinKeyParts(key: string): { txidHex: string; index: number } {
  const dot = key.indexOf('.');
  return { txidHex: key.slice(0, dot), index: Number(key.slice(dot + 1)) };
}

/** A coin key field of a decoded record: a string that isCoinKey, else CODEC_SCHEMA. */
export function readCoinKey(value: unknown, what: string): string {
  const key = readString(value, what, MAX_COIN_KEY_LENGTH);
  if (!isCoinKey(key)) schemaError(`${what}: not a coin key`);
  return key;
}

const LABEL_PATTERN = new RegExp(`^[A-Za-z0-9]{1,${MAX_LABEL_LENGTH}}$`);

/** A label a coin may carry: 1 to MAX_LABEL_LENGTH ASCII letters or digits. */
export function isFabcoinLabel(label: string): boolean {
  return LABEL_PATTERN.test(label);
}

export function encodeCoin(c: Coin): Uint8Array {
  return encode(coinToCbor(c));
}

export function decodeCoin(bytes: Uint8Array): Coin {
  return readCoin(decode(bytes, { maxBytes: MAX_COIN_BYTES }), 'coin');
}
